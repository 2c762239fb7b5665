"""Rendering speed of the synthetic world: views per second on one CPU core.

Usage: python bench/bench_synthetic.py [--scenes 8] [--frames 12]
Prints a table of views/s (CPU time of this process, one thread) for outdoor and indoor scenes at 224×224 and 512×384,
and the same through `SyntheticReader.load_view` (which also builds scenes and validates the `View`).
"""
import argparse, os, time
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
import torch
from distill3r.synthetic import SyntheticConfig, SyntheticReader, make_scene, render

def views_per_s(fn, n):
    fn(0)  # warm-up (ray cache, imports)
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for i in range(n): fn(i)
    return n / (time.process_time() - start_cpu), n / (time.perf_counter() - start_wall)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--scenes', type=int, default=8)
    ap.add_argument('--frames', type=int, default=12)
    args = ap.parse_args()
    torch.set_num_threads(1)
    rows = []
    for (H, W) in [(224, 224), (384, 512)]:
        for world in ['outdoor', 'indoor']:
            cfg = SyntheticConfig(height=H, width=W, world=world, n_frames=args.frames, n_scenes=args.scenes)
            scenes = [make_scene(cfg, (0, 0, i)) for i in range(args.scenes)]
            n = args.scenes * args.frames
            r_cpu, r_wall = views_per_s(lambda i: render(scenes[i // args.frames], i % args.frames), n)
            reader = SyntheticReader(config=cfg)
            ids = reader.scenes()
            l_cpu, _ = views_per_s(lambda i: reader.load_view(ids[i // args.frames], f"{i % args.frames:03d}"), n)
            rows.append((f"{W}x{H}", world, r_cpu, r_wall, l_cpu))
    print(f"synthetic world rendering, one thread, {args.scenes} scenes x {args.frames} frames per row (load average {os.getloadavg()[0]:.1f})")
    print(f"| size (WxH) | world   | render views/s (CPU) | render views/s (wall) | reader.load_view views/s (CPU) |")
    print(f"|------------|---------|---------------------:|----------------------:|-------------------------------:|")
    for size, world, a, b, c in rows:
        print(f"| {size:10s} | {world:7s} | {a:20.0f} | {b:21.0f} | {c:30.0f} |")

if __name__ == '__main__':
    main()
