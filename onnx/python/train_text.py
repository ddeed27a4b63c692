#!/usr/bin/env python3
"""Trains autospec's character-level any-order text model and exports it as ONNX.

A small bidirectional ("BERT-style") transformer over n characters, trained with the any-order
masking objective: per training window, mask m ~ U{1..n} positions chosen uniformly at random and
predict them (cross-entropy averaged over the masked positions of the window, then over windows).
With that weighting the loss is exactly the per-character log-loss of sequential sampling along a
uniformly random order (the law every autospec strategy draws), so the held-out figure is the
model's bits per character as a sampler.

Self-contained given the corpus file (no downloads): write it with onnx/python/prepare_corpus.sh
(King James Bible from Debian's bible-kjv, lower-cased, 37 symbols). Runs with Debian's
python3-torch (1.13) on a CPU and with recent PyTorch (2.x) on CUDA.

    python3 onnx/python/train_text.py --corpus kjv.txt --out DIR --device cuda --minutes 4
    python3 onnx/python/train_text.py --corpus kjv.txt --out DIR --device cpu --minutes 60 --threads 1
    python3 onnx/python/train_text.py --export-only DIR/checkpoint.pt --out DIR   # re-export (CPU)
    python3 onnx/python/train_text.py --add-vocabulary MODEL.onnx SYMBOLS --out OUT.onnx
        # attach a vocabulary to any model of the contract (the tests' tiny-text.onnx)

Writes into --out: checkpoint.pt (every --checkpoint-seconds and at the end; --resume continues
from it), text.onnx (the contract of io.autospec.onnx.OnnxOracle: int64 tokens [B, n], mask id q
at free positions; float32 logits [B, n, q]; the vocabulary in the ONNX metadata property
"autospec.vocabulary", the i-th character being value i) and text.json (the training record:
data, split, architecture, schedule, held-out masked cross-entropy and bits per character, the
unigram baseline, history).
"""
import argparse
import inspect
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 14
VOCAB_KEY = "autospec.vocabulary"


# ----------------------------------------------------------------------------------------- model

class Block(nn.Module):
    """Pre-LayerNorm transformer block: bidirectional self-attention with rotary position
    embeddings (relative positions, directional), then a GELU MLP."""

    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ff)
        self.fc2 = nn.Linear(ff, d)

    def forward(self, x, cos, sin):
        b, n, d = x.shape
        h = self.ln1(x)
        qkv = self.qkv(h).reshape(b, n, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)  # 3, b, H, n, hd
        q, k, v = qkv[0], qkv[1], qkv[2]
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        att = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd)), dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, n, d)
        x = x + self.proj(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


def rope(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class AnyOrderTransformer(nn.Module):
    def __init__(self, n, q, d, layers, heads, ff):
        super().__init__()
        self.n, self.q = n, q
        self.embed = nn.Embedding(q + 1, d)  # id q = mask
        self.blocks = nn.ModuleList(Block(d, heads, ff) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, q)
        hd = d // heads
        inv = 1.0 / (10000 ** (torch.arange(0, hd // 2, dtype=torch.float32) / (hd // 2)))
        ang = torch.arange(n, dtype=torch.float32)[:, None] * inv[None, :]
        self.register_buffer("cos", torch.cos(ang))
        self.register_buffer("sin", torch.sin(ang))
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, tokens):
        x = self.embed(tokens)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin)
        return self.head(self.ln(x))


# ------------------------------------------------------------------------------------------ data

def load_corpus(path, block, every):
    text = open(path, encoding="utf-8").read()
    vocab = "".join(sorted(set(text)))
    lut = np.full(0x110000 if max(map(ord, vocab)) > 255 else 256, -1, dtype=np.int64)
    for i, c in enumerate(vocab):
        lut[ord(c)] = i
    ids = lut[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)]
    # Interleaved split: every `every`-th block of `block` characters is held out.
    nb = len(ids) // block
    blocks = ids[: nb * block].reshape(nb, block)
    held = np.arange(nb) % every == every - 1
    return text, vocab, blocks[~held].reshape(-1), blocks[held].reshape(-1)


def word_starts(ids, space_id, n):
    """Window starts: the first character of a word, with a whole window after it."""
    s = np.nonzero(ids[:-1] == space_id)[0] + 1
    return s[s + n <= len(ids)]


def masks(gen, batch, n, device):
    """The any-order objective's masks: m ~ U{1..n} positions per row, chosen uniformly."""
    m = torch.randint(1, n + 1, (batch, 1), generator=gen)
    ranks = torch.argsort(torch.rand(batch, n, generator=gen), dim=1)
    return (ranks < m).to(device)


def batch_loss(model, x, mask, q):
    """Mean over rows of the mean cross-entropy (nats) over each row's masked positions."""
    logits = model(torch.where(mask, torch.full_like(x, q), x)).float()
    ce = F.cross_entropy(logits.reshape(-1, q), x.reshape(-1), reduction="none").reshape(x.shape)
    per_row = (ce * mask).sum(1) / mask.sum(1)
    return per_row.mean(), ce, per_row


@torch.no_grad()
def evaluate(model, ev, q, device, amp):
    """Held-out: fixed windows and masks. Returns the any-order loss (mean of per-row masked
    cross-entropy, nats) and the cross-entropy at masked fractions around 0.1, 0.5, 0.9."""
    model.eval()
    tot, rows = 0.0, 0
    bands = {0.1: [0.0, 0], 0.5: [0.0, 0], 0.9: [0.0, 0]}
    for x, mask in ev:
        x, mask = x.to(device), mask.to(device)
        with amp():
            _, ce, per_row = batch_loss(model, x, mask, q)
        tot += per_row.sum().item()
        rows += x.shape[0]
        frac = mask.float().mean(1)
        for f, acc in bands.items():
            sel = (frac - f).abs() <= 0.05
            acc[0] += (ce * mask)[sel].sum().item()
            acc[1] += mask[sel].sum().item()
    model.train()
    return tot / rows, {str(f): (a / c if c else None) for f, (a, c) in bands.items()}


# ---------------------------------------------------------------------------------------- export

def export_onnx(model, vocab, path, record):
    import onnx
    model = model.float().cpu().eval()
    dummy = torch.zeros(2, model.n, dtype=torch.int64)
    kw = dict(input_names=["tokens"], output_names=["logits"],
              dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"}},
              opset_version=OPSET, do_constant_folding=True)
    tmp = path + ".tmp"
    version = tuple(int(v) for v in torch.__version__.split("+")[0].split(".")[:2] if v.isdigit())
    if version >= (2, 5) or "dynamo" in inspect.signature(torch.onnx.export).parameters:
        # PyTorch >= 2.5: the TorchScript exporter first (no onnxscript needed, the graph Debian's torch
        # makes), then the dynamo exporter where that one is gone.
        try:
            torch.onnx.export(model, dummy, tmp, dynamo=False, **kw)
        except Exception as e:
            print(f"TorchScript ONNX export failed ({type(e).__name__}: {e}); trying dynamo=True", flush=True)
            kw["opset_version"] = max(OPSET, 18)
            torch.onnx.export(model, dummy, tmp, dynamo=True, **kw)
    else:
        torch.onnx.export(model, dummy, tmp, **kw)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    for k, v in ((VOCAB_KEY, vocab), ("autospec.kind", "text"),
                 ("autospec.record", json.dumps({k: record[k] for k in ("data", "model", "result") if k in record}))):
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, path)
    os.remove(tmp)
    with torch.no_grad():  # sanity: the exported graph's inputs are what the engine feeds
        assert model(dummy).shape == (2, model.n, len(vocab))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", flush=True)


# ------------------------------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="prepared text file (prepare_corpus.sh)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--minutes", type=float, default=4.0, help="training time box (export and evaluation come on top)")
    ap.add_argument("--n", type=int, default=256, help="positions (characters) per sample")
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=None, help="windows per step (default: 256 on cuda, 16 on cpu)")
    ap.add_argument("--lr", type=float, default=None, help="peak learning rate (default: 2e-3 on cuda, 3e-3 on cpu)")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--eval-windows", type=int, default=None, help="held-out windows (default 2048 on cuda, 256 on cpu)")
    ap.add_argument("--eval-seconds", type=float, default=None, help="evaluate every S seconds (default: minutes*6)")
    ap.add_argument("--checkpoint-seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt (its settings win)")
    ap.add_argument("--export-only", metavar="CKPT", help="export CKPT to OUT/text.onnx + text.json; no training")
    ap.add_argument("--add-vocabulary", nargs=2, metavar=("MODEL", "SYMBOLS"),
                    help="write MODEL with the metadata property autospec.vocabulary = SYMBOLS to --out (a file); no training")
    a = ap.parse_args()
    if a.add_vocabulary:
        import onnx
        m = onnx.load(a.add_vocabulary[0])
        del m.metadata_props[:]
        p = m.metadata_props.add()
        p.key, p.value = VOCAB_KEY, a.add_vocabulary[1]
        onnx.save(m, a.out)
        print(f"wrote {a.out} with {VOCAB_KEY} = {a.add_vocabulary[1]!r}")
        return
    os.makedirs(a.out, exist_ok=True)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    ckpt_path = os.path.join(a.out, "checkpoint.pt")

    if a.export_only:
        ck = torch.load(a.export_only, map_location="cpu")
        c = ck["config"]
        model = AnyOrderTransformer(c["n"], len(ck["vocab"]), c["width"], c["layers"], c["heads"], 4 * c["width"])
        model.load_state_dict(ck["model"])
        finish(a.out, model, ck["vocab"], ck["record"])
        return

    if not a.corpus:
        ap.error("--corpus is required (write it with onnx/python/prepare_corpus.sh)")
    cuda = a.device == "cuda"
    if cuda and not torch.cuda.is_available():
        sys.exit("--device cuda: torch sees no CUDA device")
    device = torch.device(a.device)
    batch = a.batch or (256 if cuda else 16)
    lr = a.lr or (2e-3 if cuda else 3e-3)
    eval_windows = a.eval_windows or (2048 if cuda else 256)
    eval_every = a.eval_seconds or max(30.0, a.minutes * 6)
    budget = a.minutes * 60.0
    config = dict(n=a.n, width=a.width, layers=a.layers, heads=a.heads)
    resume = None
    if a.resume and os.path.exists(ckpt_path):
        resume = torch.load(ckpt_path, map_location="cpu")
        config = resume["config"]
        print(f"resuming from {ckpt_path} at step {resume['step']} ({resume['seconds']:.0f} s)", flush=True)

    torch.manual_seed(a.seed)
    text, vocab, train, held = load_corpus(a.corpus, block=8192, every=20)
    q, n = len(vocab), config["n"]
    space = vocab.index(" ")
    counts = np.bincount(train, minlength=q).astype(np.float64)
    p = counts / counts.sum()
    unigram_bits = float(-(p * np.log2(np.maximum(p, 1e-300))).sum())
    heldp = np.bincount(held, minlength=q) / len(held)
    unigram_held_bits = float(-(heldp * np.log2(np.maximum(p, 1e-300))).sum())
    print(f"corpus {len(text)} chars, q = {q} ({vocab!r}), train {len(train)}, held-out {len(held)}; "
          f"unigram {unigram_bits:.3f} bits/char (held-out {unigram_held_bits:.3f})", flush=True)

    starts = word_starts(train, space, n)
    train_t = torch.from_numpy(train)
    gen = torch.Generator().manual_seed(a.seed)
    egen = torch.Generator().manual_seed(12345)
    hstarts = word_starts(held, space, n)
    pick = torch.randperm(len(hstarts), generator=egen)[:eval_windows].numpy()
    held_t = torch.from_numpy(held)
    ev = []
    eb = 256 if cuda else 32
    for i in range(0, len(pick), eb):
        idx = torch.from_numpy(hstarts[pick[i:i + eb]])[:, None] + torch.arange(n)[None, :]
        ev.append((held_t[idx], masks(egen, idx.shape[0], n, "cpu")))

    model = AnyOrderTransformer(n, q, config["width"], config["layers"], config["heads"], 4 * config["width"]).to(device)
    params = sum(t.numel() for t in model.parameters())
    decay = [t for nm, t in model.named_parameters() if t.dim() >= 2 and "embed" not in nm]
    other = [t for nm, t in model.named_parameters() if not (t.dim() >= 2 and "embed" not in nm)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.98), eps=1e-8)
    step, spent, history = 0, 0.0, []
    if resume:
        model.load_state_dict(resume["model"])
        opt.load_state_dict(resume["opt"])
        step, spent, history = resume["step"], resume["seconds"], resume["history"]
        gen.set_state(resume["gen"])
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        amp = lambda: torch.autocast("cuda", dtype=torch.bfloat16)
    else:
        import contextlib
        amp = contextlib.nullcontext
    warmup = 200 if cuda else 50
    print(f"model: {params} parameters (n = {n}, width {config['width']}, {config['layers']} layers, "
          f"{config['heads']} heads); batch {batch}, lr {lr}, {a.minutes} min on {a.device}", flush=True)

    record = dict(
        script="onnx/python/train_text.py",
        torch=torch.__version__,
        data=dict(source="King James Bible (public domain), Debian packages bible-kjv/bible-kjv-text; "
                         "onnx/python/prepare_corpus.sh: verse references removed, lower-cased, verses joined by spaces",
                  characters=len(text), vocabulary=vocab, q=q,
                  split="blocks of 8192 characters, every 20th held out", train=len(train), heldOut=len(held),
                  windows="n consecutive characters starting at a word", unigramBitsPerChar=round(unigram_bits, 4),
                  unigramHeldOutBitsPerChar=round(unigram_held_bits, 4)),
        model=dict(kind="any-order (BERT-style) bidirectional transformer, pre-LayerNorm, rotary positions",
                   n=n, q=q, mask=q, width=config["width"], layers=config["layers"], heads=config["heads"],
                   ff=4 * config["width"], parameters=params),
        objective="per window: mask m ~ U{1..n} uniformly chosen positions; mean cross-entropy over the masked "
                  "positions, averaged over windows (= per-character log-loss of sequential sampling along a "
                  "uniformly random order)",
        training=dict(device=a.device, batch=batch, lr=lr, warmup=warmup, optimizer="AdamW (0.9, 0.98), wd 0.05, "
                      "cosine to 0 over the time box", minutes=a.minutes, threads=torch.get_num_threads(),
                      precision="bf16 autocast" if cuda else "float32"),
    )

    def save_ckpt():
        tmp = ckpt_path + ".tmp"
        torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step, seconds=spent,
                        history=history, gen=gen.get_state(), config=config, vocab=vocab, record=record), tmp)
        os.replace(tmp, ckpt_path)

    model.train()
    t0 = time.time() - spent
    last_ck = last_ev = time.time()
    while True:
        spent = time.time() - t0
        if spent >= budget:
            break
        frac = spent / budget
        cur = lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g["lr"] = cur
        idx = torch.from_numpy(starts[torch.randint(0, len(starts), (batch,), generator=gen).numpy()])
        x = train_t[idx[:, None] + torch.arange(n)[None, :]].to(device, non_blocking=True)
        mask = masks(gen, batch, n, device)
        with amp():
            loss, _, _ = batch_loss(model, x, mask, q)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        now = time.time()
        if step % 50 == 0:
            print(f"step {step} {now - t0:.0f}s lr {cur:.2e} train {loss.item() / math.log(2):.3f} bits/char", flush=True)
        if now - last_ev >= eval_every:
            ce, bands = evaluate(model, ev, q, device, amp)
            history.append(dict(step=step, seconds=round(now - t0, 1), heldOutNats=round(ce, 5),
                                heldOutBitsPerChar=round(ce / math.log(2), 4)))
            print(f"  held-out {ce / math.log(2):.4f} bits/char at step {step}", flush=True)
            last_ev = time.time()
        if now - last_ck >= a.checkpoint_seconds:
            save_ckpt()
            last_ck = time.time()

    spent = time.time() - t0
    ce, bands = evaluate(model, ev, q, device, amp)
    history.append(dict(step=step, seconds=round(spent, 1), heldOutNats=round(ce, 5), heldOutBitsPerChar=round(ce / math.log(2), 4)))
    record["training"].update(steps=step, seconds=round(spent, 1), windowsSeen=step * batch)
    record["result"] = dict(heldOutWindows=len(pick), heldOutMaskedCrossEntropyNats=round(ce, 5),
                            heldOutBitsPerChar=round(ce / math.log(2), 4),
                            unigramBitsPerChar=round(unigram_held_bits, 4),
                            heldOutBitsPerCharAtMaskedFraction={k: (round(v / math.log(2), 4) if v else None) for k, v in bands.items()})
    record["history"] = history
    print(f"final held-out {ce / math.log(2):.4f} bits/char after {step} steps ({spent:.0f} s); "
          f"unigram {unigram_held_bits:.3f}", flush=True)
    save_ckpt()
    # Weights only (~4 bytes a parameter): what --export-only needs, small enough to copy anywhere.
    torch.save(dict(model={k: v.float().cpu() for k, v in model.state_dict().items()}, config=config, vocab=vocab,
                    record=record), os.path.join(a.out, "model.pt"))
    finish(a.out, model, vocab, record)


def finish(out, model, vocab, record):
    with open(os.path.join(out, "text.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(f"wrote {os.path.join(out, 'text.json')}", flush=True)
    try:
        export_onnx(model, vocab, os.path.join(out, "text.onnx"), record)
    except Exception as e:  # keep the checkpoint: --export-only re-exports it (e.g. with Debian's torch)
        print(f"ONNX export failed ({type(e).__name__}: {e}); re-export with --export-only {out}/model.pt",
              file=sys.stderr, flush=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
