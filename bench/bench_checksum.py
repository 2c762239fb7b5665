"""What verifying each sample's checksum costs when training reads the cache (`CachedDataset(check=True)`, the default).

    python bench/bench_checksum.py                      # demo size: 4 views of 96×128, 64 samples
    python bench/bench_checksum.py --res 224 518 --views 8

Writes a cache of random teacher maps at the given size (most pixels valid, as a teacher's), then reads every sample
with and without the checksum, alternating, several rounds: per-sample time of the read, of the checksum alone, and
the checksum's share of a training step (`--step-s`, the measured demo step on this machine by default).
"""
import argparse, statistics, sys, tempfile, time
from pathlib import Path
import numpy as np
import torch
from distill3r.codec import encode_maps, packed_checksum
from distill3r.store import CacheStore
from distill3r.testing import random_maps


def write_cache(path, n:int, views:int, res) -> CacheStore:
    "A cache of `n` samples of random maps, 2% of pixels invalid."
    store = CacheStore.create(path, teacher='bench', config_hash='x', resolution=res, num_views=views)
    rng = np.random.default_rng(0)
    for i in range(n):
        maps = random_maps(rng, views, *res)
        valid = rng.random((views, *res)) > 0.02
        store.write(f'bench/s{i:04d}', encode_maps(maps, valid))
    return store


def time_reads(store:CacheStore, keys:list, check:bool) -> float:
    "Seconds per sample to read (and decode) every sample once."
    t = time.perf_counter()
    for k in keys: store.read(k, check=check)
    return (time.perf_counter() - t) / len(keys)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--res', type=int, nargs=2, default=[96, 128])
    ap.add_argument('--views', type=int, default=4)
    ap.add_argument('--samples', type=int, default=64)
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--batch', type=int, default=4, help='samples per training step')
    ap.add_argument('--step-s', type=float, default=0.607, help='seconds per training step to compare with (demo, bench/RESULTS.md)')
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as d:
        store = write_cache(Path(d)/'c.zarr', a.samples, a.views, tuple(a.res))
        keys = store.completed()
        plain, checked = [], []
        for _ in range(a.rounds):
            plain.append(time_reads(store, keys, False)); checked.append(time_reads(store, keys, True))
        packed = [store.read_packed(k)[0] for k in keys[:8]]   # (packed sample, attributes)
        t = time.perf_counter()
        for p in packed: packed_checksum(p)
        hash_s = (time.perf_counter() - t) / len(packed)
    p, c = statistics.median(plain), statistics.median(checked)
    print(f"## Checksum cost: {a.views} views of {a.res[0]}×{a.res[1]}, {a.samples} samples, median of {a.rounds} rounds, one thread, torch {torch.__version__}\n")
    print('| read without checksum (ms/sample) | read with checksum (ms/sample) | checksum alone (ms/sample) | extra per step of '
          f'{a.batch} samples (ms) | share of a {a.step_s:.3f} s step |')
    print('|---:|---:|---:|---:|---:|')
    extra = max(c - p, 0) * a.batch
    print(f"| {p * 1e3:.2f} | {c * 1e3:.2f} | {hash_s * 1e3:.2f} | {extra * 1e3:.1f} | {extra / a.step_s:.1%} |")


if __name__ == '__main__':
    main(sys.argv[1:])
