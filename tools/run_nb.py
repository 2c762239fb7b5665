"""Execute notebooks in place so that they are committed with their outputs.

    python tools/run_nb.py nbs/00_geometry.ipynb [more.ipynb ...] [--slow]

Cells flagged `#| slow` or `#| cuda`, and `#| eval: false` cells, keep their previous outputs and are not run unless `--slow` is given
(`#| cuda` cells also need a GPU). The notebook runs with its own folder as the working directory, as
`nbdev-test` runs it. Stops at the first failing cell and leaves the notebook untouched then.
"""
import os, re, sys, time
from pathlib import Path

def _flags(src:str) -> set:
    return {f for line in src.splitlines() if line.startswith('#|') for f in re.split(r'[\s,]+', line[2:].strip()) if f}

def run(path, slow:bool=False):
    from execnb.shell import CaptureShell
    import torch
    path = Path(path).resolve()
    skip = {'notest'} | (set() if slow else {'slow'}) | (set() if torch.cuda.is_available() else {'cuda'})
    def preproc(cell):
        if cell.cell_type != 'code': return False
        return bool(_flags(cell.source) & skip) or re.search(r'^#\|\s*eval:\s*false', cell.source, re.M) is not None
    t0, cwd = time.time(), os.getcwd()
    os.chdir(path.parent)
    try: CaptureShell().execute(path, path, exc_stop=True, preproc=preproc)
    finally: os.chdir(cwd)
    print(f"{path.name}: ran in {time.time() - t0:.0f} s")

if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    for p in args: run(p, slow='--slow' in sys.argv)
