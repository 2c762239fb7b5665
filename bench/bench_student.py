"""Student (`paper`, 72M) against the Fast3R teacher architecture (648M), random weights: forward time and peak memory
at several numbers of views in ONE run, with the ratio columns, plus the student's measured FLOPs per component.

    python bench/bench_student.py                      # CPU: 2, 8, 16, 32 views at half the native side
    python bench/bench_student.py --device cuda        # GPU: 2 … 128 views at native resolutions, bf16

CPU default resolutions are half the native side (student 112×252 instead of 224×518, teacher 192×256 instead of
384×512) so that the 2-core run ends in minutes; GPU runs use the native resolutions. Timing and memory come from
`distill3r.benchmark` (a fresh process per point on CPU, so peak RSS is honest); FLOPs from
`distill3r.benchmark.count_flops` (FlopCounterMode on the meta device). Nothing is written to bench/RESULTS.md.
"""
import argparse, sys, time
import torch
from distill3r.benchmark import run_benchmark, format_table, count_flops
from distill3r.student import Student, StudentConfig, param_report


def student_tables(preset, res, views):
    "Markdown tables: parameters per component, and measured GFLOPs per component for each N."
    cfg = StudentConfig.preset(preset)
    with torch.device('meta'): m = Student(cfg)
    p = param_report(m)
    parts = [k for k in p if k != 'total']
    lines = [f"Student `{preset}` parameters: " + ', '.join(f"{k} {v / 1e6:.2f}M" for k, v in p.items()), '',
             f"| views | " + ' | '.join(f'{c} GFLOPs' for c in parts) + " | total GFLOPs |",
             '|---:|' + '---:|' * (len(parts) + 1)]
    for n in views:
        f = count_flops('student', preset, n, res)
        lines.append(f"| {n} | " + ' | '.join(f"{f.get(c, 0) / 1e9:.1f}" for c in parts) + f" | {f['total'] / 1e9:.1f} |")
    return '\n'.join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: cuda when available)")
    ap.add_argument('--views', default=None, help='comma-separated N (default: 2,8,16,32 on CPU; 2,4,…,128 on GPU)')
    ap.add_argument('--repeats', type=int, default=None, help='timed passes per point (default: 1 on CPU, 5 on GPU)')
    ap.add_argument('--student-res', type=int, nargs=2, default=None, help='student H W')
    ap.add_argument('--teacher-res', type=int, nargs=2, default=None, help='teacher H W')
    ap.add_argument('--student-preset', default='paper')
    a = ap.parse_args(argv)
    device = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    cpu = not device.startswith('cuda')
    views = [int(v) for v in a.views.split(',')] if a.views else ([2, 8, 16, 32] if cpu else [2, 4, 8, 16, 32, 64, 128])
    sres = tuple(a.student_res or ((112, 252) if cpu else (224, 518)))
    tres = tuple(a.teacher_res or ((192, 256) if cpu else (384, 512)))
    repeats = a.repeats or (1 if cpu else 5)
    t0 = time.time()
    res = run_benchmark(views, device, repeats, a.student_preset, 'full', sres, tres, 'auto', progress=False)
    m = res['meta']
    print(f"## Student vs Fast3R teacher: {m['device']}, torch {m['torch']}, {m['dtype']}, median of {repeats} after 1 warm-up\n")
    print(f"student `{m['student']}` ({m['student_params'] / 1e6:.1f}M), teacher Fast3R `{m['teacher']}` "
          f"({(m['teacher_params'] or 0) / 1e6:.1f}M), random weights; peak memory = {m['memory']}\n")
    print(format_table(res) + '\n')
    print(student_tables(a.student_preset, sres, views))
    print(f"\n(bench wall time {time.time() - t0:.0f} s)")
    return res


if __name__ == '__main__':
    main(sys.argv[1:])
