"""Fast3R teacher (released ViT-L/512 architecture, 648M, random weights): forward time and peak memory against the
number of views at several input sizes, in ONE run, plus the measured FLOPs per component.

    python bench/bench_teacher.py                                   # CPU: 224×224 and 384×512, 2…32 views, cut off by --max-seconds
    python bench/bench_teacher.py --max-views 8 --max-seconds 60    # a quick CPU run
    python bench/bench_teacher.py --device cuda                     # GPU: 2…128 views, bf16 autocast

What is measured:
- time: one `Fast3R.forward` (encoder → fusion transformer → both DPT heads, heads in chunks of 25 views), median of
  `--repeats` passes after `--warmup` untimed ones (`distill3r.benchmark.measure`);
- peak memory: on GPU `torch.cuda.max_memory_allocated` (weights + activations); on CPU the peak RSS increase of a
  fresh Python process per point over its RSS after `import torch` (VmHWM reset through /proc/self/clear_refs), i.e.
  weights (~2.5 GiB in float32) + activations + allocator slack;
- FLOPs: `torch.utils.flop_counter.FlopCounterMode` on the meta device (no memory, no time), per component.
Once a pass at some size takes longer than `--max-seconds`, larger N at that size are skipped (CPU practicality).
Nothing is written to bench/RESULTS.md.
"""
import argparse, sys, time
import torch
from distill3r.benchmark import measure, measure_isolated, device_name, resolve_dtype, count_flops


def teacher_flops(preset, res, n_views):
    "Forward FLOPs of the Fast3R encoder, fusion transformer and the two heads (meta device; `distill3r.benchmark.count_flops`)."
    f = count_flops('teacher', preset, n_views, res)
    return {'encoder': f['encoder'], 'fusion': f['decoder'], 'heads': f['downstream_head'] + f['downstream_head_local'], 'total': f['total']}


def _cell(p, key, spec):
    return format(p[key], spec) if p.get('status') == 'ok' and p.get(key) is not None else p.get('status', 'not run')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: cuda when available)")
    ap.add_argument('--preset', default='full', help="Fast3R preset ('full' = released ViT-L/512, 'tiny')")
    ap.add_argument('--sizes', default='224x224,384x512', help='comma-separated HxW input sizes')
    ap.add_argument('--views', default=None, help='comma-separated N (default: 2,4,8,16,32 on CPU; 2,4,…,128 on GPU)')
    ap.add_argument('--max-views', type=int, default=None, help='drop N above this')
    ap.add_argument('--repeats', type=int, default=None, help='timed passes per point (default: 1 on CPU, 5 on GPU)')
    ap.add_argument('--warmup', type=int, default=1, help='untimed passes before timing')
    ap.add_argument('--dtype', default='auto', help="'auto' (bf16 on GPU, fp32 on CPU), 'fp32', 'bf16', 'fp16'")
    ap.add_argument('--max-seconds', type=float, default=None, help='skip larger N at a size once a pass is slower (default: 120 on CPU)')
    ap.add_argument('--no-flops', action='store_true', help='skip the FLOP table')
    a = ap.parse_args(argv)
    device = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    cpu = not device.startswith('cuda')
    views = [int(v) for v in a.views.split(',')] if a.views else ([2, 4, 8, 16, 32] if cpu else [2, 4, 8, 16, 32, 64, 128])
    if a.max_views: views = [n for n in views if n <= a.max_views]
    sizes = [tuple(int(s) for s in hw.lower().split('x')) for hw in a.sizes.split(',')]
    repeats = a.repeats or (1 if cpu else 5)
    max_seconds = a.max_seconds if a.max_seconds is not None else (120. if cpu else None)
    t0 = time.time()
    points = {}
    for res in sizes:
        stop = None
        for n in views:
            if stop: points[res, n] = dict(status='skipped'); continue
            kw = dict(which='teacher', preset=a.preset, views=n, res=res, device=device, repeats=repeats, dtype=a.dtype,
                      warmup=a.warmup)
            p = measure_isolated(**kw) if cpu else measure(**kw)
            points[res, n] = p
            print(f"  {res[0]}×{res[1]} N={n}: {p.get('status')} {p.get('time_s') or 0:.2f} s, {p.get('peak_mib') or 0:.0f} MiB",
                  file=sys.stderr, flush=True)
            if p['status'] != 'ok' or (max_seconds and p['time_s'] > max_seconds): stop = True
            if device.startswith('cuda'): torch.cuda.empty_cache()
    params = next((p['params'] for p in points.values() if p.get('params')), None)
    dt = str(resolve_dtype(a.dtype, device)).replace('torch.', '')
    print(f"## Fast3R teacher `{a.preset}` ({(params or 0) / 1e6:.1f}M parameters, random weights): {device_name(device)}, "
          f"torch {torch.__version__}, {dt}, median of {repeats} after {a.warmup} warm-up\n")
    print("peak memory = " + ('torch.cuda.max_memory_allocated (weights + activations)' if not cpu else
                              'peak RSS increase of a fresh process over its RSS after import torch (weights + activations)') + '\n')
    head = '| views | ' + ' | '.join(f'{h}×{w} time (s) | {h}×{w} s/view | {h}×{w} peak (MiB)' for h, w in sizes) + ' |'
    print(head); print('|---:|' + '---:|---:|---:|' * len(sizes))
    for n in views:
        cells = []
        for res in sizes:
            p = points[res, n]
            per_view = dict(p, per_view=p['time_s'] / n) if p.get('status') == 'ok' else p
            cells += [_cell(p, 'time_s', '.2f'), _cell(per_view, 'per_view', '.3f'), _cell(p, 'peak_mib', '.0f')]
        print(f"| {n} | " + ' | '.join(cells) + ' |')
    if not a.no_flops:
        print('\nMeasured forward GFLOPs (meta device, FlopCounterMode):\n')
        print('| size | views | encoder | fusion | two heads | total | total per view |')
        print('|---|---:|---:|---:|---:|---:|---:|')
        for res in sizes:
            for n in views:
                f = teacher_flops(a.preset, res, n)
                print(f"| {res[0]}×{res[1]} | {n} | {f['encoder'] / 1e9:.0f} | {f['fusion'] / 1e9:.0f} | {f['heads'] / 1e9:.0f} | "
                      f"{f['total'] / 1e9:.0f} | {f['total'] / 1e9 / n:.0f} |")
    print(f"\n(bench wall time {time.time() - t0:.0f} s)")
    return points


if __name__ == '__main__':
    main(sys.argv[1:])
