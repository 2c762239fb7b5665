"""Teacher-cache formats side by side, on the same teacher outputs, on one CPU core.

Formats: ours (float16 values of valid pixels + RLE validity in zarr 3; blosc / zstd / no compressor), the official
Distill3R format (one `np.savez_compressed` of dense float16 arrays per sample, keys as written by the official code, github.com/TheFourthKaramazov/Distill3R),
plain float32 `.npy`, and zarr 3 with dense float16 arrays (NaN = invalid) under zstd and under blosc.

Reported per format: bytes per view (on disk, metadata included), encode and decode throughput in MB/s of dense
float32 maps (8 floats per pixel: two point maps, two confidences), decoded views/s, and the max abs error against the
float32 teacher output on valid pixels (points, confidences). Decoding returns dense float32 maps plus the validity
mask for every format, read from a warm page cache (best of 5 passes).

Teachers: OracleTeacher on outdoor synthetic scenes (the 'paper' preset, 384x512 renders cropped to the cache
resolution; the sky is invalid), and a random-weight tiny Fast3R (`--fast3r`,
default on; the tiny config of distill3r.teachers, outputs resampled to the cache resolution).

    .venv/bin/python bench/bench_cache.py                       # 6 samples x 8 views at 224x518
    .venv/bin/python bench/bench_cache.py --samples 4 --views 20 --no-fast3r
"""
import argparse, io, json, os, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np
import torch
import zarr
from zarr.codecs import BloscCodec, ZstdCodec

torch.set_num_threads(1)
zarr.config.set({'threading.max_workers': 1})

from distill3r.codec import encode_maps, decode_maps
from distill3r.store import CacheStore
from distill3r.cache import teacher_input_size, teacher_batch, F16_MAX
from distill3r.teachers import MAP_KEYS, OracleTeacher, usable_pixels
from distill3r.fast3r import Fast3R, Fast3RTeacher
from distill3r.data import MultiViewDataset, collate
from distill3r.datasets import open_reader


def dir_bytes(p):
    p = Path(p)
    return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob('*') if f.is_file())


def teacher_outputs(teacher, ds, n, resolution):
    "[(sample_id, maps float32 numpy, valid bool, teacher seconds)] for the first n samples."
    out = []
    tsize = teacher_input_size(resolution, getattr(teacher, 'patch_size', 1))
    for k in range(n):
        batch = collate([ds[k]])
        t = time.perf_counter()
        pred = teacher.predict(teacher_batch(batch, tsize), out_size=resolution)
        dt = time.perf_counter() - t
        maps = {key: pred[key][0].float().cpu().numpy() for key in MAP_KEYS}
        for key in ('conf_global', 'conf_local'): maps[key] = np.minimum(maps[key], F16_MAX)
        out.append((batch['sample_id'][0], maps, usable_pixels(pred)[0].cpu().numpy(), dt))
    return out


# ---------------------------------------------------------------- formats: write(dir, sid, maps, valid) / read(dir, sid)
class Ours:
    def __init__(self, compression): self.compression, self.name = compression, f"ours: f16+RLE packed, zarr ({compression})"
    def setup(self, d, resolution):
        self.store = CacheStore.create(f"{d}/cache.zarr", teacher='bench', config_hash='0', resolution=resolution,
                                       compression=self.compression)
    def write(self, d, sid, maps, valid, secs):
        self.store.write(sid, encode_maps(maps, valid), dict(teacher_seconds=secs))
    def read(self, d, sid):
        return self.store.read(sid)
    def size(self, d): return dir_bytes(f"{d}/cache.zarr/samples")


def rle_official(mask):
    "Official RLE: [start1, len1, start2, len2, ...] over runs of True of the flattened mask."
    flat = np.concatenate([[False], mask.ravel(), [False]])
    edges = np.flatnonzero(flat[1:] != flat[:-1])
    starts, ends = edges[0::2], edges[1::2]
    return np.stack([starts, ends - starts], 1).ravel().tolist()


def unrle_official(rle, shape):
    flat = np.zeros(int(np.prod(shape)), bool)
    for s, n in zip(rle[0::2], rle[1::2]): flat[s:s + n] = True
    return flat.reshape(shape)


class Official:
    name = 'official Distill3R: savez_compressed f16'
    def setup(self, d, resolution): pass
    def write(self, d, sid, maps, valid, secs):
        v = valid[..., None]
        arrays = dict(xyz_global=np.where(v, maps['pts_global'], np.nan).astype(np.float16),
                      xyz_local=np.where(v, maps['pts_local'], np.nan).astype(np.float16),
                      conf_global=np.where(valid, maps['conf_global'], 0).astype(np.float16),
                      conf_local=np.where(valid, maps['conf_local'], 0).astype(np.float16))
        masks = np.empty(len(valid), dtype=object)
        for i, m in enumerate(valid): masks[i] = rle_official(m)
        folder = Path(d)/sid.replace('/', '_')
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder/'consolidated.npz', **arrays, masks=masks, num_views=np.int64(len(valid)),
                            inference_time=np.float32(secs))
    def read(self, d, sid):
        with np.load(Path(d)/sid.replace('/', '_')/'consolidated.npz', allow_pickle=True) as z:
            shape = z['conf_local'].shape
            valid = np.stack([unrle_official(r, shape[1:]) for r in z['masks']])
            return dict(pts_global=z['xyz_global'].astype(np.float32), conf_global=z['conf_global'].astype(np.float32),
                        pts_local=z['xyz_local'].astype(np.float32), conf_local=z['conf_local'].astype(np.float32), valid=valid)
    def size(self, d): return dir_bytes(d)


class Npy32:
    name = 'float32 .npy (dense, + mask)'
    def setup(self, d, resolution): pass
    def write(self, d, sid, maps, valid, secs):
        folder = Path(d)/sid.replace('/', '_')
        folder.mkdir(parents=True, exist_ok=True)
        for k in MAP_KEYS: np.save(folder/f"{k}.npy", np.where(valid[..., None] if maps[k].ndim == 4 else valid, maps[k], 0).astype(np.float32))
        np.save(folder/'valid.npy', valid)
    def read(self, d, sid):
        folder = Path(d)/sid.replace('/', '_')
        return {**{k: np.load(folder/f"{k}.npy") for k in MAP_KEYS}, 'valid': np.load(folder/'valid.npy')}
    def size(self, d): return dir_bytes(d)


class ZarrDense:
    def __init__(self, kind):
        self.kind = kind
        self.name = f"zarr dense f16, NaN=invalid ({kind})"
        # the same codecs as ours, so that the only difference is packing vs dense-with-NaN
        self.comp = [ZstdCodec(level=3)] if kind == 'zstd' else [BloscCodec(cname='zstd', clevel=3, shuffle='shuffle', typesize=2)]
    def setup(self, d, resolution): self.root = zarr.open_group(f"{d}/dense.zarr", mode='w')
    def write(self, d, sid, maps, valid, secs):
        g = self.root.create_group(sid.replace('/', '~'))
        for k in MAP_KEYS:
            m = valid[..., None] if maps[k].ndim == 4 else valid
            a = np.where(m, maps[k], np.nan).astype(np.float16)
            g.create_array(k, data=a, chunks=a.shape, compressors=self.comp)
    def read(self, d, sid):
        g = self.root[sid.replace('/', '~')]
        out = {k: g[k][...].astype(np.float32) for k in MAP_KEYS}
        out['valid'] = np.isfinite(out['conf_local'])
        for k in MAP_KEYS: out[k] = np.nan_to_num(out[k], nan=1. if k.startswith('conf') else 0.)
        return out
    def size(self, d): return dir_bytes(f"{d}/dense.zarr") - dir_bytes(f"{d}/dense.zarr/zarr.json")


def run_format(fmt, outputs, resolution):
    d = tempfile.mkdtemp(prefix='bench_cache_')
    try:
        fmt.setup(d, resolution)
        views = sum(len(v) for _, _, v, _ in outputs)
        dense_mb = sum(v.size * 8 * 4 for _, _, v, _ in outputs) / 1e6
        t = time.perf_counter()
        for sid, maps, valid, secs in outputs: fmt.write(d, sid, maps, valid, secs)
        t_enc = time.perf_counter() - t
        best, err_p, err_c = float('inf'), 0., 0.
        for rep in range(5):
            t = time.perf_counter()
            decoded = [fmt.read(d, sid) for sid, *_ in outputs]
            best = min(best, time.perf_counter() - t)
        for (sid, maps, valid, _), dec in zip(outputs, decoded):
            if not np.array_equal(dec['valid'], valid): raise AssertionError(f"{fmt.name}: validity mask of {sid} differs")
            for k in MAP_KEYS:
                e = float(np.abs(dec[k][valid] - maps[k][valid]).max()) if valid.any() else 0.
                if k.startswith('pts'): err_p = max(err_p, e)
                else: err_c = max(err_c, e)
        nbytes = fmt.size(d)
        return dict(format=fmt.name, bytes_per_view=nbytes / views, enc_mbs=dense_mb / t_enc, dec_mbs=dense_mb / best,
                    dec_views=views / best, err_pts=err_p, err_conf=err_c)
    finally: shutil.rmtree(d, ignore_errors=True)


def table(rows, title, ref_name):
    ref = next(r['bytes_per_view'] for r in rows if r['format'] == ref_name)
    lines = [f"\n**{title}**\n", "| format | KiB/view | size vs official | encode MB/s | decode MB/s | decode views/s | max abs err pts | max abs err conf |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['format']} | {r['bytes_per_view'] / 1024:.1f} | {r['bytes_per_view'] / ref:.2f}x | {r['enc_mbs']:.0f} | "
                     f"{r['dec_mbs']:.0f} | {r['dec_views']:.0f} | {r['err_pts']:.2e} | {r['err_conf']:.2e} |")
    return '\n'.join(lines)


# Training consumption, for the "decode >= 10x faster than training" target. The paper's student infers 12 views at
# 378x518 in 0.13 s on an RTX 6000 Ada (timing table of the official Distill3R README); a training step (forward + backward) costs about 3
# forward passes, and 224x518 has 0.59x the pixels: ~50 views/s per GPU. An estimate, not a measurement.
TRAIN_VIEWS_PER_S = 12 / 0.13 / 3 / (224 * 518 / (378 * 518))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--samples', type=int, default=6)
    ap.add_argument('--views', type=int, default=8)
    ap.add_argument('--resolution', type=int, nargs=2, default=(224, 518))
    ap.add_argument('--fast3r', action=argparse.BooleanOptionalAction, default=True)
    args = ap.parse_args()
    res = tuple(args.resolution)
    reader = open_reader('synthetic', config='paper', n_scenes=args.samples, world='outdoor')
    ds = MultiViewDataset(reader, num_views=args.views, size=res, patch_size=1)
    teachers = [("OracleTeacher (noise 0.02) on outdoor synthetic scenes (sky = invalid)", OracleTeacher())]
    if args.fast3r:
        torch.manual_seed(0)
        teachers.append(("random-weight tiny Fast3R (Fast3RConfig.preset('tiny'), input 224x512, outputs resampled)",
                         Fast3RTeacher(Fast3R('tiny'), device='cpu', weights_id='random')))
    print(f"{args.samples} samples x {args.views} views at {res[0]}x{res[1]}; one core (torch threads 1, zarr workers 1, "
          f"blosc unthreaded); MB/s of dense float32 maps (32 B/pixel)")
    for title, teacher in teachers:
        outputs = teacher_outputs(teacher, ds, args.samples, res)
        vf = np.mean([v.mean() for _, _, v, _ in outputs])
        secs = sum(o[3] for o in outputs) / (args.samples * args.views)
        fmts = [Ours('blosc'), Ours('lz4'), Ours('zstd'), Ours('none'), Official(), Npy32(), ZarrDense('zstd'), ZarrDense('blosc')]
        rows = [run_format(f, outputs, res) for f in fmts]
        print(table(rows, f"{title}: valid fraction {vf:.3f}, teacher {secs:.3f} s/view on this CPU", Official.name))
        ours = rows[0]
        print(f"\nours ({ours['format']}): decode {ours['dec_views']:.0f} views/s per core = "
              f"{ours['dec_views'] / TRAIN_VIEWS_PER_S:.1f}x the ~{TRAIN_VIEWS_PER_S:.0f} views/s a GPU trains on (estimate); "
              f"10x needs {10 * TRAIN_VIEWS_PER_S / ours['dec_views']:.1f} loader workers per GPU")


if __name__ == '__main__': main()
