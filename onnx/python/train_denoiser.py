#!/usr/bin/python3
"""Trains the EDM-style denoiser of 8x8 digits that ships with autospec-onnx (Debian's python3-torch,
python3-sklearn, python3-onnx; one thread, a few minutes on 2 shared cores).

Data: scikit-learn's 8x8 digits (1797 images, grey levels 0..16) as continuous values in [-1, 1]
(d = 64), a fixed held-out split (seed 0: 1497 train, 300 held out).

Model: an MLP F (3 residual blocks of width 192, SiLU, Fourier features of c_noise) with the EDM
preconditioning of Karras et al. 2022 folded into the exported graph:
    D(x; sigma) = c_skip(sigma) x + c_out(sigma) F(c_in(sigma) x, c_noise(sigma)),
    c_skip = sd^2 / (sigma^2 + sd^2), c_out = sigma sd / sqrt(sigma^2 + sd^2),
    c_in = 1 / sqrt(sigma^2 + sd^2), c_noise = ln(sigma) / 4,
sd = the data's standard deviation. So the ONNX graph is the plain D of the contract of
io.autospec.onnx.OnnxDenoiser: float32 inputs x [B, 64] and sigma [B], output D [B, 64]; metadata
sigma_max = 80.
Training: ln(sigma) ~ N(-0.6, 1.6^2) (wider than EDM's image default: the sampler queries sigma from
1/sqrt(T) ~ 0.03 up to 80), loss weight (sigma^2 + sd^2) / (sigma sd)^2, Adam, EMA of the weights.

Outputs (relative to the onnx/ module):
  models/digits-denoiser.onnx    the denoiser (EMA weights)
  models/digits-denoiser.json    the training record: split, steps, time, and the held-out denoising
                                 loss (mean squared error per coordinate) by sigma, beside the loss of
                                 the best constant (the data mean) and of the identity D = x.
"""
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
MODELS = os.path.join(MODULE, "models")
STEPS = int(os.environ.get("STEPS", "15000"))
SIGMA_MAX = 80.0
SIGMAS = [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 80.0]


class Net(nn.Module):
    def __init__(self, d=64, hidden=192, blocks=3, fourier=16):
        super().__init__()
        self.register_buffer("freqs", torch.randn(fourier) * 4.0)
        self.inp = nn.Linear(d + 2 * fourier, hidden)
        self.blocks = nn.ModuleList(nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
                                    for _ in range(blocks))
        self.out = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, d))

    def forward(self, x, c_noise):
        a = c_noise[:, None] * self.freqs[None, :]
        h = self.inp(torch.cat([x, torch.sin(a), torch.cos(a)], dim=1))
        for b in self.blocks:
            h = h + b(h)
        return self.out(h)


class Edm(nn.Module):
    """D(x; sigma) with the preconditioning folded in (what is exported)."""

    def __init__(self, net, sd):
        super().__init__()
        self.net = net
        self.sd = float(sd)

    def forward(self, x, sigma):
        s = sigma[:, None]
        sd2 = self.sd ** 2
        c_skip = sd2 / (s * s + sd2)
        c_out = s * self.sd / torch.sqrt(s * s + sd2)
        c_in = 1.0 / torch.sqrt(s * s + sd2)
        c_noise = torch.log(sigma) / 4.0
        return c_skip * x + c_out * self.net(c_in * x, c_noise)


def load():
    from sklearn.datasets import load_digits
    x = load_digits().data.astype(np.float32) / 8.0 - 1.0  # 0..16 -> [-1, 1]
    perm = np.random.default_rng(0).permutation(len(x))
    test, train = perm[:300], perm[300:]
    return torch.tensor(x[train]), torch.tensor(x[test]), len(train), len(test)


@torch.no_grad()
def held_out(model, data, mean, gen):
    rows = {}
    for s in SIGMAS:
        losses, const, ident = [], [], []
        for rep in range(8):
            noise = torch.randn(data.shape, generator=gen)
            z = data + s * noise
            d = model(z, torch.full((len(data),), s))
            losses.append(((d - data) ** 2).mean().item())
            const.append(((mean - data) ** 2).mean().item())
            ident.append(((z - data) ** 2).mean().item())
        rows[str(s)] = {"model": float(np.mean(losses)), "mean": float(np.mean(const)), "identity": float(np.mean(ident))}
    return rows


def main():
    torch.manual_seed(0)
    train, test, n_train, n_test = load()
    sd = train.std().item()
    mean = train.mean(0, keepdim=True)
    model = Edm(Net(), sd)
    ema = Edm(Net(), sd)
    ema.load_state_dict(model.state_dict())
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=STEPS, pct_start=0.05)
    t0 = time.time()
    log = []
    for step in range(STEPS):
        idx = torch.randint(0, n_train, (256,))
        x = train[idx]
        sigma = torch.exp(torch.randn(256) * 1.6 - 0.6)
        z = x + sigma[:, None] * torch.randn_like(x)
        w = (sigma ** 2 + sd ** 2) / (sigma * sd) ** 2
        loss = (w[:, None] * (model(z, sigma) - x) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            decay = min(0.999, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm, alpha=1 - decay)
        if step % 2000 == 0 or step == STEPS - 1:
            log.append({"step": step, "weighted_loss": loss.item(), "seconds": round(time.time() - t0, 1)})
            print(log[-1], flush=True)
    ema.eval()
    gen = torch.Generator().manual_seed(1)
    record = {
        "data": "sklearn.datasets.load_digits, grey levels 0..16 scaled to x / 8 - 1 in [-1, 1], d = 64",
        "split": {"seed": 0, "train": n_train, "held_out": n_test},
        "sigma_data": sd,
        "sigma_max": SIGMA_MAX,
        "steps": STEPS, "batch": 256, "seconds": round(time.time() - t0, 1), "threads": 1,
        "training_log": log,
        "held_out_mse_by_sigma": held_out(ema, test, mean, gen),
        "train_mse_by_sigma": held_out(ema, train[:300], mean, gen),
        "note": "mean squared error per coordinate of D(x0 + sigma n; sigma) against x0 (8 noise draws per image); "
                "'mean' predicts the training mean, 'identity' returns the noisy input",
    }
    os.makedirs(MODELS, exist_ok=True)
    path = os.path.join(MODELS, "digits-denoiser.onnx")
    torch.onnx.export(ema, (torch.zeros(2, 64), torch.ones(2)), path, input_names=["x", "sigma"], output_names=["D"],
                      dynamic_axes={"x": {0: "B"}, "sigma": {0: "B"}, "D": {0: "B"}}, opset_version=13)
    import onnx
    m = onnx.load(path)
    e = m.metadata_props.add()
    e.key, e.value = "sigma_max", str(SIGMA_MAX)
    onnx.save(m, path)
    with open(os.path.join(MODELS, "digits-denoiser.json"), "w") as f:
        json.dump(record, f, indent=1)
    print(json.dumps(record["held_out_mse_by_sigma"], indent=1))


if __name__ == "__main__":
    main()
