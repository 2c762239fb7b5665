"""Reconstruction of a folder of photos (`distill3r.reconstruct.reconstruct`) with the `paper` student (72M, random
weights): time and peak memory against the number of views, one fresh process per point, next to the network's forward
pass alone.

    python bench/bench_reconstruct.py                          # CPU: 2, 4, 8, 16, 32, 64 views, model input 126×168
    python bench/bench_reconstruct.py --views 2,8 --size 224   # fewer points, a larger input
    python bench/bench_reconstruct.py --device cuda            # GPU (bf16 autocast, as `reconstruct` runs there)

What is measured, per number of views N:
- the photos: N JPEG files of 480×640 pixels (one synthetic outdoor walk, written once into a temporary folder);
- reconstruction: one `reconstruct(student, folder_of_N_photos, size=S)` call with the model already built: reading
  and decoding the photos, crop and resize, the chunked encoder, the fusion over all views, the chunked heads, camera
  recovery, depth and the pixel maps back to each photo (no export); its own split of the time into photos / inference
  (network + cameras) is given too;
- network alone: one forward pass of the same student on N random images of the model input size
  (`distill3r.benchmark.measure_isolated`, i.e. what `python -m distill3r.benchmark` times);
- both with `distill3r.benchmark.measure` in a fresh Python process per point: median of `--repeats` timed calls after
  one untimed warm-up call; peak memory = on CPU the peak RSS increase of the process over its RSS after the imports
  (model weights included), on GPU `torch.cuda.max_memory_allocated`. For the reconstruction the child process
  replaces the network pass that `measure` times (`distill3r.benchmark.forward`) by the `reconstruct` call.
Prints a Markdown table (with the machine and its load average) and writes nothing else.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

_MARK = '@@bench_reconstruct@@'


def write_photos(folder, n:int, size=(480, 640), seed:int=0) -> list:
    "`n` JPEG photos of one synthetic outdoor walk, `size` (H, W) pixels, 60° horizontal field of view."
    from PIL import Image
    from distill3r.synthetic import SyntheticConfig, make_scene, render, intrinsics_for_fov
    scene = make_scene(SyntheticConfig(n_frames=n, trajectory='walk', world='outdoor'), seed, f'walk_{seed}')
    K = intrinsics_for_fov(*size, 60.)
    paths = []
    for i in range(n):
        path = Path(folder)/f'IMG_{i + 1:04d}.jpg'
        Image.fromarray(render(scene, i, K=K, size=size)[0]).save(path, quality=92)
        paths.append(str(path))
    return paths


def _child(spec:str):
    "Runs in a fresh process: `measure` with its network pass replaced by a `reconstruct` call on the first N photos."
    kw = json.loads(spec)
    import distill3r.benchmark as bm
    from distill3r.reconstruct import reconstruct
    photos, size, last = kw.pop('photos')[:kw['views']], kw.pop('size'), {}
    def forward(which, model, images):   # `measure` passes its random images; the photos are used instead
        rec = reconstruct(model, photos, size=size, progress=False)
        last.update(rec.info['seconds'], input=list(rec.points.shape[1:3]), views=len(rec))
        return rec
    bm.forward = forward
    kw['res'] = tuple(kw['res'])
    try: r = bm.measure(**kw); r['seconds'] = last
    except Exception as e: r = dict(status=f'error: {type(e).__name__}: {e}'.splitlines()[0][:200])
    print(_MARK + json.dumps(r), flush=True)


def measure_reconstruct(views:int, photos:list, size:int, res:tuple, device:str, repeats:int, timeout:float=None) -> dict:
    "A reconstruction point in a fresh process (see `_child`)."
    spec = json.dumps(dict(which='student', preset='paper', views=views, res=list(res), device=device, repeats=repeats,
                           photos=photos, size=size))
    try: p = subprocess.run([sys.executable, __file__, '--child', spec], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired: return dict(status='skipped (timeout)')
    line = next((l for l in p.stdout.splitlines()[::-1] if l.startswith(_MARK)), None)
    if line is not None: return json.loads(line[len(_MARK):])
    if p.returncode in (-9, 137): return dict(status='OOM (killed)')
    return dict(status=f"error (exit {p.returncode}): {(p.stderr.strip().splitlines() or ['no output'])[-1][:200]}")


def _f(p:dict, key:str, spec:str) -> str:
    return format(p[key], spec) if p.get('status') == 'ok' and p.get(key) is not None else p.get('status', 'not run')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: cuda when available)")
    ap.add_argument('--views', default='2,4,8,16,32,64', help='comma-separated numbers of views (default: 2,4,8,16,32,64)')
    ap.add_argument('--size', type=int, default=168, help='long side of the model input, a multiple of 14 (default: 168, i.e. 126×168 for 4:3 photos)')
    ap.add_argument('--repeats', type=int, default=1, help='timed calls per point (median; default 1)')
    ap.add_argument('--timeout', type=float, default=1800, help='seconds per point before it is skipped (default 1800)')
    ap.add_argument('--child', help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child: return _child(a.child)
    import torch
    from distill3r.benchmark import measure_isolated, device_name
    from distill3r.data import target_size
    device = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    views = sorted(int(v) for v in a.views.split(','))
    res = target_size((480, 640), a.size, 14)
    load = os.getloadavg()
    t0 = time.time()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        photos = write_photos(d, max(views))
        for n in views:
            rec = measure_reconstruct(n, photos, a.size, res, device, a.repeats, a.timeout)
            net = measure_isolated('student', 'paper', n, res, device=device, repeats=a.repeats, timeout=a.timeout)
            rows.append((n, rec, net))
            print(f"N={n}: reconstruct {_f(rec, 'time_s', '.2f')} s, {_f(rec, 'peak_mib', '.0f')} MiB; network {_f(net, 'time_s', '.2f')} s, "
                  f"{_f(net, 'peak_mib', '.0f')} MiB", file=sys.stderr, flush=True)
    load_after = os.getloadavg()
    print(f"## Reconstruction time and peak memory against views — {time.strftime('%Y-%m-%d %H:%M')}\n")
    print(f"`python bench/bench_reconstruct.py{' ' + ' '.join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ''}`: {device_name(device)}, "
          f"torch {torch.__version__}, student `paper` (random weights), model input {res[0]}×{res[1]}, photos 480×640 JPEG; "
          f"median of {a.repeats} after a warm-up, fresh process per point; load average (1, 5, 15 min) {load[0]:.2f} / {load[1]:.2f} / "
          f"{load[2]:.2f} before, {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} after; bench wall time "
          f"{time.time() - t0:.0f} s.\n")
    print('| views | reconstruct (s) | of which photos (s) | of which network + cameras (s) | network alone (s) | reconstruct peak (MiB) | network peak (MiB) |')
    print('|---:|---:|---:|---:|---:|---:|---:|')
    for n, rec, net in rows:
        s = rec.get('seconds') or {}
        ph = f"{s['photos']:.2f}" if rec.get('status') == 'ok' and 'photos' in s else '—'
        inf = f"{s['inference']:.2f}" if rec.get('status') == 'ok' and 'inference' in s else '—'
        print(f"| {n} | {_f(rec, 'time_s', '.2f')} | {ph} | {inf} | {_f(net, 'time_s', '.2f')} | {_f(rec, 'peak_mib', '.0f')} | {_f(net, 'peak_mib', '.0f')} |")
    return rows


if __name__ == '__main__':
    main(sys.argv[1:])
