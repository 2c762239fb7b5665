"""The Fast3R teacher (648M) against the `paper` (72M) and `fast` students, random weights: forward time and peak
memory at several numbers of views in ONE run, with the ratio columns; on CPU also the students exported to ONNX and
run by onnxruntime; and each student's measured FLOPs per component.

    python bench/bench_student.py                      # CPU: 2, 8, 16 views at 224×224 for every model, median of 3
    python bench/bench_student.py --device cuda        # GPU: 2 … 128 views at native resolutions, bf16

Every point runs in a fresh process (`distill3r.benchmark.measure_isolated`), so peak memory (the RSS increase over
an idle process that imported torch) is honest and an out-of-memory kill becomes a result. On CPU the models run at
one resolution (default 224×224: 16×16 student tokens of 14 px, 14×14 teacher tokens of 16 px), as in the earlier
comparison with the official code. Nothing is written to bench/RESULTS.md.
"""
import argparse, os, sys, tempfile, time, warnings, contextlib, io
import torch
from distill3r.benchmark import measure_isolated, count_flops, device_name
from distill3r.student import Student, StudentConfig, param_report, export_onnx


def flops_table(presets, res, views):
    "Markdown: parameters and measured GFLOPs per component of each student preset."
    lines = []
    for preset in presets:
        with torch.device('meta'): p = param_report(Student(preset))
        parts = [k for k in p if k != 'total']
        lines += [f"Student `{preset}`: " + ', '.join(f"{k} {v / 1e6:.2f}M" for k, v in p.items()) + ' parameters', '',
                  '| views | ' + ' | '.join(f'{c} GFLOPs' for c in parts) + ' | total GFLOPs |', '|---:|' + '---:|' * (len(parts) + 1)]
        for n in views:
            f = count_flops('student', preset, n, res)
            lines.append(f"| {n} | " + ' | '.join(f"{f.get(c, 0) / 1e9:.1f}" for c in parts) + f" | {f['total'] / 1e9:.1f} |")
        lines.append('')
    return '\n'.join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: cuda when available)")
    ap.add_argument('--views', type=int, nargs='+', default=None, help='numbers of views (default: 2 8 16 on CPU; 2 4 … 128 on GPU)')
    ap.add_argument('--repeats', type=int, default=None, help='timed passes per point after one warm-up (default: 3 on CPU, 5 on GPU)')
    ap.add_argument('--res', type=int, nargs=2, default=None, help='H W of every model on CPU (default 224 224)')
    ap.add_argument('--students', nargs='+', default=['paper', 'fast'], help='student presets')
    ap.add_argument('--no-onnx', action='store_true', help='skip the ONNX rows')
    ap.add_argument('--timeout', type=float, default=1800, help='seconds per point before it is recorded as skipped')
    a = ap.parse_args(argv)
    device = a.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    cpu = not device.startswith('cuda')
    views = a.views or ([2, 8, 16] if cpu else [2, 4, 8, 16, 32, 64, 128])
    repeats = a.repeats or (3 if cpu else 5)
    res = {'teacher': tuple(a.res or (224, 224)) if cpu else (384, 512)}
    for s in a.students: res[s] = tuple(a.res or (224, 224)) if cpu else tuple(StudentConfig.preset(s).image_size)
    t0 = time.time()
    load = os.getloadavg()[0]
    models = [('teacher', 'full', 'Fast3R teacher')] + [('student', s, f'`{s}`') for s in a.students]
    tmp = tempfile.TemporaryDirectory()
    if cpu and not a.no_onnx:
        for s in a.students:
            path = os.path.join(tmp.name, f'{s}.onnx')
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter('ignore')
                export_onnx(Student(s), path, res[s], check=False)
            models.append(('onnx', path, f'`{s}` ONNX')); res[path] = res[s]
    points = {}
    for which, spec, label in models:
        for n in views:
            r = measure_isolated(which, spec, n, res.get(spec, res.get(which)), device, repeats, 'auto', timeout=a.timeout)
            points[label, n] = r
            print(f"  {label} N={n}: {r['status']} {r['time_s'] or 0:.3f} s, {r['peak_mib'] or 0:.0f} MiB", file=sys.stderr, flush=True)
    load_end = os.getloadavg()[0]
    labels = [m[2] for m in models]
    def t(l, n): p = points[l, n]; return p['time_s'] if p['status'] == 'ok' else None
    def m(l, n): p = points[l, n]; return p['peak_mib'] if p['status'] == 'ok' else None
    f = lambda x, spec: '—' if x is None else format(x, spec)
    print(f"## Teacher vs students: {device_name(device)}, torch {torch.__version__}, {'fp32' if cpu else 'bf16 autocast'}, "
          f"median of {repeats} after a warm-up, fresh process per point; load {load:.1f} at start, {load_end:.1f} at end\n")
    print('Resolutions: ' + ', '.join(f"{l} {res.get(spec, res.get(w))[0]}×{res.get(spec, res.get(w))[1]}" for w, spec, l in models) + '\n')
    print('| views | ' + ' | '.join(f'{l} (s)' for l in labels) + ' | ' + ' | '.join(f'teacher ÷ {l}' for l in labels[1:]) + ' |')
    print('|---:|' + '---:|' * (2 * len(labels) - 1))
    for n in views:
        tt = t(labels[0], n)
        print(f'| {n} | ' + ' | '.join(f(t(l, n), '.2f') for l in labels) + ' | ' +
              ' | '.join(f(tt / t(l, n) if tt and t(l, n) else None, '.1f') + '×' for l in labels[1:]) + ' |')
    print('\nPeak memory (MiB):\n')
    print('| views | ' + ' | '.join(labels) + ' | ' + ' | '.join(f'{l} ÷ teacher' for l in labels[1:]) + ' |')
    print('|---:|' + '---:|' * (2 * len(labels) - 1))
    for n in views:
        tm = m(labels[0], n)
        print(f'| {n} | ' + ' | '.join(f(m(l, n), '.0f') for l in labels) + ' | ' +
              ' | '.join(f(m(l, n) / tm if tm and m(l, n) else None, '.2f') for l in labels[1:]) + ' |')
    print()
    print(flops_table(a.students, res[a.students[0]], views))
    print(f"(bench wall time {time.time() - t0:.0f} s)")
    tmp.cleanup()
    return points


if __name__ == '__main__':
    main(sys.argv[1:])
