#!/usr/bin/env python
"""Training throughput (views/s) and the share of each step spent loading data.

Builds (or reuses) the built-in default caches of a preset in --run-dir, then times, in one run:
data loading alone (CachedDataset + collate_cached through a DataLoader), and full optimizer steps
(load + forward + loss + backward + AdamW). Prints a markdown table.

    python bench/bench_train.py                      # demo preset on this machine's CPU
    python bench/bench_train.py --preset paper --device cuda --steps 20
"""
import argparse, os, time
import torch
from distill3r.train import TrainConfig, default_caches, training_data
from distill3r.cache import collate_cached
from distill3r.student import Student
from distill3r.loss import DistillationLoss

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--preset', default='demo'); p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--steps', type=int, default=20); p.add_argument('--run-dir', default='/tmp/distill3r_bench_train')
    p.add_argument('--num-workers', type=int, default=0); p.add_argument('--threads', type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    cfg = TrainConfig.preset(a.preset, **{'data.num_workers': a.num_workers})
    caches = (cfg.data.cache, cfg.data.val_cache) if cfg.data.cache else default_caches(cfg, a.run_dir, quiet=True)
    train_ds, _ = training_data(cfg, *caches)
    loader = torch.utils.data.DataLoader(train_ds, batch_size=cfg.batch_size, shuffle=True, collate_fn=collate_cached,
                                         num_workers=a.num_workers, drop_last=True)
    dev = torch.device(a.device)
    model, crit = Student(cfg.student).to(dev), DistillationLoss(cfg.loss).to(dev)
    opt = torch.optim.AdamW(model.parameters(), cfg.lr)
    amp = torch.autocast('cuda', dtype=torch.bfloat16) if dev.type == 'cuda' else torch.autocast('cpu', enabled=False)
    def batches():
        while True: yield from loader
    it = batches()
    t_load, t_total, views = 0., 0., 0
    for step in range(a.steps + 2):                      # 2 warm-up steps
        t0 = time.perf_counter()
        batch = {k: v.to(dev) if torch.is_tensor(v) else v for k, v in next(it).items()}
        t1 = time.perf_counter()
        with amp: pred = model(batch['images'])
        loss, _ = crit({k: v.float() for k, v in pred.items()}, {k: batch[k] for k in ('pts_global', 'conf_global', 'pts_local', 'conf_local')}, batch['valid'])
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        if dev.type == 'cuda': torch.cuda.synchronize()
        t2 = time.perf_counter()
        if step >= 2: t_load, t_total, views = t_load + t1 - t0, t_total + t2 - t0, views + batch['images'].shape[0] * batch['images'].shape[1]
    H, W = cfg.data.resolution
    print(f"| preset | device | views/sample | resolution | batch | steps | s/step | views/s | data loading share |")
    print(f"|---|---|---|---|---|---|---|---|---|")
    print(f"| {a.preset} | {a.device} ({a.threads} threads, {a.num_workers} workers) | {cfg.data.num_views} | {H}×{W} | {cfg.batch_size} | {a.steps} | "
          f"{t_total / a.steps:.3f} | {views / t_total:.1f} | {100 * t_load / t_total:.1f}% |")

if __name__ == '__main__': main()
