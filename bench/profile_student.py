"""Where a student's forward time goes: encoder, fusion, and inside each DPT head reassembly, projection, RefineNet
stages, output convolutions and upsampling, at several numbers of views and resolutions, in ONE run.

    python bench/profile_student.py                                # paper (and fast), 2/8/16 views, 224×224 and 224×518
    python bench/profile_student.py --presets paper --views 8 --res 224x518 --repeats 3

Random weights, float32, eval mode, `torch.no_grad`; each module's time is measured with forward pre/post hooks around
the leaf parts listed below (CPU runs synchronously, so the wall time between the hooks is the module's), the median
over `--repeats` passes after one warm-up. The parts do not overlap; "other" is the rest of the forward (reshapes,
post-processing, concatenation).
"""
import argparse, statistics, sys, time
from collections import defaultdict
import torch
from distill3r.student import Student, StudentConfig


def parts(model) -> dict:
    "Module -> part name, for non-overlapping parts of a student."
    out = {model.encoder: 'encoder', model.fusion: 'fusion'}
    heads = [(n, m) for n, m in model.named_children() if n.startswith('head')]
    for hname, head in heads:
        dpt = getattr(head, 'dpt', head)
        for i, m in enumerate(dpt.act_postprocess): out[m] = f'{hname}: reassemble'
        for i, m in enumerate(dpt.scratch.layer_rn): out[m] = f'{hname}: projection (layer_rn)'
        for i in range(1, 5): out[getattr(dpt.scratch, f'refinenet{i}')] = f'{hname}: refinenet{i}'
        if hasattr(dpt, 'head'):     # the DPT output head: conv, upsample, conv, relu, conv
            for j, m in enumerate(dpt.head): out[m] = f"{hname}: {'upsample' if j == 1 else 'output convs'}"
        for m in getattr(head, 'outputs', {}).values():   # FastDPTHead: per-output conv head and guided upsampling
            out[m.conv] = out[m.pred] = f'{hname}: output convs (stride p/4)'
            if m.guide_dim: out[m.proj] = out[m.refine] = f'{hname}: guided upsampling'
    return out


def profile(model, images, repeats=3) -> dict:
    "Median seconds per part (and 'total', 'other') of `model(images)`."
    times, t0 = defaultdict(float), {}
    def pre(m, *_): t0[m] = time.perf_counter()
    def post(m, *_): times[names[m]] += time.perf_counter() - t0[m]
    names = parts(model)
    handles = [m.register_forward_pre_hook(pre) for m in names] + [m.register_forward_hook(post) for m in names]
    runs = []
    try:
        with torch.no_grad():
            model(images, image_idx=torch.arange(images.shape[1]))            # warm-up
            for _ in range(repeats):
                times.clear(); t = time.perf_counter()
                model(images, image_idx=torch.arange(images.shape[1]))
                total = time.perf_counter() - t
                runs.append({**times, 'total': total, 'other': total - sum(times.values())})
    finally:
        for h in handles: h.remove()
    return {k: statistics.median(r.get(k, 0.) for r in runs) for k in runs[0]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--presets', nargs='+', default=None, help='student presets (default: paper, and fast where it exists)')
    ap.add_argument('--views', type=int, nargs='+', default=[2, 8, 16])
    ap.add_argument('--res', nargs='+', default=['224x224', '224x518'], help='H x W')
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: all cores)')
    a = ap.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    presets = a.presets or [p for p in ('paper', 'fast') if p in StudentConfig.presets()]
    import os, platform
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    print(f"## Student forward time by part: torch {torch.__version__}, {torch.get_num_threads()} threads, {platform.machine()}, "
          f"load {load:.1f} at start, median of {a.repeats} after a warm-up\n")
    for preset in presets:
        model = Student(preset).eval()
        for res in a.res:
            H, W = (int(v) for v in res.split('x'))
            results = {n: profile(model, torch.rand(1, n, 3, H, W, generator=torch.Generator().manual_seed(0)), a.repeats) for n in a.views}
            keys = sorted({k for r in results.values() for k in r} - {'total'}, key=lambda k: (k.split(':')[0], k))
            print(f"### `{preset}` at {H}×{W}\n")
            print('| part | ' + ' | '.join(f'{n} views (s)' for n in a.views) + ' | ' + ' | '.join(f'share at {n}' for n in a.views) + ' |')
            print('|---|' + '---:|' * (2 * len(a.views)))
            for k in keys + ['total']:
                print(f'| {k} | ' + ' | '.join(f"{results[n].get(k, 0):.3f}" for n in a.views) + ' | ' +
                      ' | '.join(f"{100 * results[n].get(k, 0) / results[n]['total']:.1f}%" for n in a.views) + ' |')
            print()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
