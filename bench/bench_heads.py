"""Accuracy of the `fast` student against `paper`, trained the same way: same synthetic data and teacher cache, same
steps, seeds, optimiser and loss; held-out errors against the teacher and the ground truth, side by side.

    python bench/bench_heads.py                          # 112×154, 4 views, 300 steps, seed 0, both students
    python bench/bench_heads.py --steps 1000 --seeds 0 1 2 --res 224 518

Both students have random encoders here (no DUNE weights on this machine): the comparison is of the heads, from the
same start. Runs go to --out (default runs/bench_heads); a finished run is reused (delete its folder to re-run).
"""
import argparse, json, sys, time
from pathlib import Path
import torch
from distill3r.train import TrainConfig, default_caches, fit
from distill3r.student import StudentConfig


def config(student:str, res, steps, seed, threads) -> TrainConfig:
    "The demo recipe (synthetic outdoor clips, oracle teacher) with another student, resolution and a paper-like lr."
    return TrainConfig.preset('demo', **{'student': StudentConfig.preset(student), 'data.resolution': tuple(res), 'steps': steps,
                                         'seed': seed, 'lr': 2e-4, 'warmup': 30, 'min_lr': 1e-5, 'batch_size': 2,
                                         'val_every': 0, 'ckpt_every': steps, 'cpu_threads': threads})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--students', nargs='+', default=['paper', 'fast'])
    ap.add_argument('--steps', type=int, default=300)
    ap.add_argument('--seeds', type=int, nargs='+', default=[0])
    ap.add_argument('--res', type=int, nargs=2, default=[112, 154])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default='runs/bench_heads')
    a = ap.parse_args(argv)
    out = Path(a.out)
    caches = default_caches(config(a.students[0], a.res, a.steps, 0, a.threads), out/'data', quiet=True)
    rows = {}
    for seed in a.seeds:
        for s in a.students:
            run = out/f'{s}_seed{seed}'
            if (run/'result.json').exists(): r = json.loads((run/'result.json').read_text())
            else:
                t0 = time.time()
                r = fit(config(s, a.res, a.steps, seed, a.threads), run, *caches, quiet=True)
                r = {k: v for k, v in r.items() if isinstance(v, (int, float))}
                r['wall_s'] = time.time() - t0
                (run/'result.json').write_text(json.dumps(r, indent=1))
            rows[s, seed] = r
            print(f"{s} seed {seed}: {r['wall_s'] / 60:.1f} min, global err vs teacher {r['student_vs_teacher/global_err_rel']:.4f}", file=sys.stderr)
    keys = [('teacher', 'global'), ('teacher', 'local'), ('gt', 'global'), ('gt', 'local')]
    print(f"## `paper` vs `fast` trained the same way: {a.res[0]}×{a.res[1]}, 4 views, {a.steps} steps, batch 2, seeds {a.seeds}, "
          f"torch {torch.__version__}\n")
    print('| student | seed | minutes | ' + ' | '.join(f'{h} err vs {r}' for r, h in keys) + ' |')
    print('|---|---:|---:|' + '---:|' * len(keys))
    for (s, seed), r in rows.items():
        print(f"| `{s}` | {seed} | {r['wall_s'] / 60:.1f} | " + ' | '.join(f"{r[f'student_vs_{ref}/{h}_err_rel']:.4f}" for ref, h in keys) + ' |')
    base = next(iter(rows.values()))
    print(f"| constant baseline | – | – | " + ' | '.join(f"{base[f'constant_vs_{ref}/{h}_err_rel']:.4f}" for ref, h in keys) + ' |')
    return rows


if __name__ == '__main__':
    main(sys.argv[1:])
