"""Check `distill3r.student.load_distill3r_checkpoint` against the official Distill3R student (a development check, not a test).

It builds the official `CompressedFast3R` from checkouts of https://github.com/TheFourthKaramazov/Distill3R (5b35e55),
https://github.com/facebookresearch/fast3r (33104d4) and https://github.com/naver/dune, gives it random weights
that keep every layer's activations O(1), writes them as a Lightning checkpoint, loads that here, and compares the
outputs of both for the same images (official inference: [-1, 1] input, fixed image indices, eval mode). It also shows
that each official-behaviour switch of the `released` preset matters. The official code needs `einops`, `omegaconf`
and `lightning-utilities` besides PyTorch (install them with `pip install --target DEPS ...` to keep them apart).

    python tools/check_official_distill3r.py --distill3r PATH --fast3r PATH --dune PATH [--deps DEPS] [--out DIR]
"""
import argparse, sys, importlib.util, dataclasses, math, time, types
from pathlib import Path
import torch
ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('--distill3r', required=True, help='checkout of TheFourthKaramazov/Distill3R')
ap.add_argument('--fast3r', required=True, help='checkout of facebookresearch/fast3r')
ap.add_argument('--dune', required=True, help='checkout of naver/dune')
ap.add_argument('--deps', help='folder with the extra packages of the official code (appended to sys.path)')
ap.add_argument('--out', default='.', help='where the random checkpoint is written')
A = ap.parse_args()
HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, A.fast3r)
sys.path.insert(0, A.dune)
if A.deps: sys.path.append(A.deps)
torch.manual_seed(0)
# --- the DUNE ViT-S/14 encoder built as naver/dune's build_encoder does for dune_vitsmall14_448.pth
from model.options import EncoderOptions
from model.encoder import vision_transformer
args = dataclasses.asdict(EncoderOptions()); args.update(arch='vit_small', image_size=448, patch_size=14, num_register_tokens=4)
dune = vision_transformer.get_model(**args)
torch.hub.load = lambda *a, **k: dune          # the official code fetches DUNE through torch.hub
for name in ('fast3r.dust3r.datasets', 'fast3r.dust3r.datasets.base', 'fast3r.dust3r.datasets.base.base_stereo_view_dataset'):
    mod = types.ModuleType(name); mod.__path__ = []; mod.view_name = lambda *a, **k: ''; sys.modules[name] = mod   # data code, not needed
import logging
pl = types.ModuleType('fast3r.utils'); pl.__path__ = [str(Path(A.fast3r)/'fast3r'/'utils')]; sys.modules['fast3r.utils'] = pl  # skip its lightning-only __init__
# --- the official student module, loaded from its file (its package name clashes with ours)
spec = importlib.util.spec_from_file_location('official_student', Path(A.distill3r)/'distill3r'/'student'/'model.py')
off = importlib.util.module_from_spec(spec); spec.loader.exec_module(off)
hp = dict(img_size=512, patch_size=14, embed_dim=384, encoder_depth=12, encoder_heads=6, decoder_depth=6, decoder_heads=6,
          encoder_type='dune', max_views=20, max_parallel_views_for_head=20, landscape_only=True)
model = off.CompressedFast3R(**hp)
g = torch.Generator().manual_seed(1)
def fan_in_init(model, g):
    "Random weights that keep activations O(1) through every layer (std 1/sqrt(fan-in)), so every tensor shows in the output."
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith(('cls_token', 'register_tokens', 'pos_embed', 'mask_token')): p.copy_(torch.randn(p.shape, generator=g) * 0.5)
            elif p.ndim >= 2: p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p[0].numel()))
            elif 'norm' in n and n.endswith('weight'): p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif n.endswith('gamma'): p.copy_(0.3 + 0.1 * torch.randn(p.shape, generator=g))
            else: p.copy_(0.1 * torch.randn(p.shape, generator=g))
        for hd in (model.downstream_head, model.downstream_head_local): hd.dpt.head[-1].weight.mul_(0.1)   # keep exp() tame
fan_in_init(model, g)
sd = model.state_dict()
print('official parameters:', sum(p.numel() for p in model.parameters()), 'state-dict keys:', len(sd))
ckpt = Path(A.out)/'released_random.ckpt'
torch.save({'state_dict': {'student.' + k: v for k, v in sd.items()}, 'hyper_parameters': {**hp, 'alpha_g': 2.0, 'loss_type': 'default'},
            'epoch': 24, 'global_step': 87500, 'pytorch-lightning_version': '2.5.0'}, ckpt)
model.eval(); model.decoder.random_image_idx_embedding = False   # as utils/test_checkpoint_images.py does

sys.path.insert(0, str(HERE))
for m in [m for m in sys.modules if m == 'distill3r' or m.startswith('distill3r.')]: del sys.modules[m]
from distill3r.student import load_distill3r_checkpoint
ours = load_distill3r_checkpoint(ckpt)
print('ours parameters:', sum(p.numel() for p in ours.parameters()))

def official(images):   # images (B, N, 3, H, W) in [0, 1]
    B, N, _, H, W = images.shape
    views = [{'img': images[:, i] * 2 - 1, 'true_shape': torch.tensor([[H, W]] * B)} for i in range(N)]
    with torch.no_grad(): res = model(views)
    st = lambda k: torch.stack([r[k] for r in res], 1)
    return {'pts_global': st('pts3d_in_other_view'), 'conf_global': st('conf'), 'pts_local': st('pts3d_local'), 'conf_local': st('conf_local')}

rows = []
for (H, W), N in [((224, 518), 2), ((224, 518), 4), ((224, 224), 3), ((224, 224), 8)]:
    x = torch.rand(1, N, 3, H, W, generator=g)
    t0 = time.time(); ref = official(x); t1 = time.time()
    with torch.no_grad(): out = ours(x)
    t2 = time.time()
    for k in ref: print(f'  {k}: std over pixels {float(ref[k].std()):.3g}, range [{float(ref[k].min()):.3g}, {float(ref[k].max()):.3g}]')
    for k in ref:
        d = (out[k] - ref[k]).abs()
        tol = 1e-3 + 1e-4 * ref[k].abs()
        rows.append((f'{H}x{W}', N, k, float(d.max()), float((d / (ref[k].abs() + 1e-12)).max()), float(ref[k].abs().max()), bool((d <= tol).all())))
    print(f'{H}x{W} N={N}: official {t1 - t0:.1f}s, ours {t2 - t1:.1f}s')
print('| size | views | output | max abs diff | max rel diff | max abs value | within 1e-3 + 1e-4·|ref| |')
print('|---|---:|---|---:|---:|---:|---|')
for r in rows: print(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]:.2e} | {r[4]:.2e} | {r[5]:.3g} | {r[6]} |')
print('ALL OK' if all(r[6] for r in rows) else 'SOME FAIL')
# each official-behaviour switch matters: turning one off moves the outputs far beyond the tolerance
from distill3r.student import StudentConfig
x = torch.rand(1, 3, 3, 224, 518, generator=g); ref = official(x)
for name, over in [('ImageNet normalisation', {'encoder.normalize': 'imagenet'}), ('random image indices', {'random_image_idx': True}),
                   ('no inference attention scale', {'attn_bias_for_inference': False})]:
    other = load_distill3r_checkpoint(ckpt, config=StudentConfig.preset('released', **over))
    with torch.no_grad(): o = other(x, generator=torch.Generator().manual_seed(0))
    print(f'without the switch ({name}): max |pts_global - official| = {float((o["pts_global"] - ref["pts_global"]).abs().max()):.3g}')
