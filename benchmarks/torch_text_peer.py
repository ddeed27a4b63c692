#!/usr/bin/env python3
"""The peer row of the learned-network measurement: the text model (onnx/models/text.onnx) as the
PyTorch module it was trained as (onnx/python/train_text.py's AnyOrderTransformer), sampled
sequentially in a plain Python loop on the GPU along a uniformly random order, one network call per
step for all M samples at once: the wall per sample that autospec's rounds are measured against.

Weights: text.onnx's initializers, read with the `onnx` package. The TorchScript exporter keeps the
parameter names of LayerNorms, embeddings and biases, and stores each Linear weight transposed as an
unnamed MatMul input; that one is found through the Add that adds the Linear's named bias. Where the
`onnx` package is missing or a weight cannot be matched, the script says so and uses random weights
of the same shapes: the wall time of a forward pass does not depend on the weights' values.

Usage: torch_text_peer.py --model text.onnx --train-script train_text.py [--samples 1 64]
       [--steps S] [--device cuda] [--dtype float32]
  --steps S: time only the first S steps of each sample and scale to n (for a quick check on a CPU).
  --check-weights: only match the initializers to the module's parameters (needs numpy and onnx, not torch).
"""
import argparse
import importlib.util
import json
import sys
import time


def onnx_weights(path):
    """{parameter name: numpy array} from text.onnx, Linear weights transposed back to [out, in]."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    consumers = {}
    for node in m.graph.node:
        for i in node.input:
            consumers.setdefault(i, []).append(node)
    weights = {k: v for k, v in init.items() if not k.startswith("onnx::")}
    for node in m.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in init:
            continue
        for add in consumers.get(node.output[0], []):
            bias = [i for i in add.input if i.endswith(".bias") and i in init]
            if add.op_type == "Add" and bias:
                weights[bias[0][:-len(".bias")] + ".weight"] = init[node.input[1]].T.copy()
    return weights, m


def expected_shapes(meta):
    """Parameter names and shapes of AnyOrderTransformer(n, q, d, layers, heads, ff) without torch."""
    n, q, d, layers, ff = meta["n"], meta["q"], meta["width"], meta["layers"], meta["ff"]
    shapes = {"embed.weight": (q + 1, d), "ln.weight": (d,), "ln.bias": (d,), "head.weight": (q, d), "head.bias": (q,)}
    for i in range(layers):
        p = f"blocks.{i}."
        shapes.update({p + "ln1.weight": (d,), p + "ln1.bias": (d,), p + "qkv.weight": (3 * d, d), p + "qkv.bias": (3 * d,),
                       p + "proj.weight": (d, d), p + "proj.bias": (d,), p + "ln2.weight": (d,), p + "ln2.bias": (d,),
                       p + "fc1.weight": (ff, d), p + "fc1.bias": (ff,), p + "fc2.weight": (d, ff), p + "fc2.bias": (d,)})
    return shapes


def model_record(m):
    """The training record's model block (n, q, width, layers, heads, ff) from the ONNX metadata."""
    props = {p.key: p.value for p in m.metadata_props}
    return json.loads(props["autospec.record"])["model"], props.get("autospec.vocabulary")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--train-script", required=True)
    ap.add_argument("--samples", type=int, nargs="+", default=[1, 64])
    ap.add_argument("--steps", type=int, default=0)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check-weights", action="store_true")
    a = ap.parse_args()

    weights, meta, how = None, None, ""
    try:
        weights, onnx_model = onnx_weights(a.model)
        meta, vocab = model_record(onnx_model)
    except ImportError as e:
        how = f"random weights (no onnx package: {e})"
    if a.check_weights:
        if meta is None:
            print("cannot check: " + how)
            return 1
        want = expected_shapes(meta)
        missing = [k for k in want if k not in weights]
        wrong = [k for k in want if k in weights and tuple(weights[k].shape) != want[k]]
        print(f"{len(want)} parameters expected, {len(want) - len(missing)} found in {a.model}; missing {missing}, wrong shape {wrong}")
        return 0 if not missing and not wrong else 1

    try:
        import torch
    except ImportError as e:
        print(f"no PyTorch here ({e}): nothing measured")
        return 1
    spec = importlib.util.spec_from_file_location("train_text", a.train_script)
    tt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tt)
    if meta is None:  # the shipped model's sizes (onnx/models/text.json)
        meta = {"n": 256, "q": 37, "width": 128, "layers": 6, "heads": 4, "ff": 512}
    n, q = meta["n"], meta["q"]
    model = tt.AnyOrderTransformer(n, q, meta["width"], meta["layers"], meta["heads"], meta["ff"])
    if weights is not None:
        state = model.state_dict()
        loaded = {}
        for k, v in state.items():
            if k in weights and tuple(weights[k].shape) == tuple(v.shape):
                loaded[k] = torch.from_numpy(weights[k].copy())
            elif k in ("cos", "sin"):
                loaded[k] = v
        missing = [k for k in state if k not in loaded]
        if missing:
            how = f"random weights ({len(missing)} parameters not matched in text.onnx, e.g. {missing[:3]})"
        else:
            model.load_state_dict(loaded)
            how = f"text.onnx's weights ({len(loaded)} tensors)"
    device = torch.device(a.device if a.device != "cuda" or torch.cuda.is_available() else "cpu")
    dtype = getattr(torch, a.dtype)
    model = model.to(device=device, dtype=dtype).eval()
    gpu = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"
    print(f"torch {torch.__version__}, device {gpu}, dtype {a.dtype}, {how}, n = {n}, q = {q}")
    print()
    print("| M | steps timed | wall per sample (s) | network calls | per call (ms) |")
    print("|---:|---:|---:|---:|---:|")
    gen = torch.Generator(device="cpu").manual_seed(a.seed)
    for m in a.samples:
        steps = n if a.steps <= 0 else min(a.steps, n)
        with torch.no_grad():
            tokens = torch.full((m, n), q, dtype=torch.int64, device=device)
            rows = torch.arange(m, device=device)
            model(tokens)  # warm-up (kernels, allocator)
            if device.type == "cuda":
                torch.cuda.synchronize()
            orders = torch.stack([torch.randperm(n, generator=gen) for _ in range(m)]).to(device)
            t0 = time.perf_counter()
            for s in range(steps):
                pos = orders[:, s]
                logits = model(tokens)[rows, pos].float()          # [m, q]: the law at each sample's next position
                v = torch.multinomial(torch.softmax(logits, dim=-1), 1).squeeze(1)
                tokens[rows, pos] = v
            if device.type == "cuda":
                torch.cuda.synchronize()
            wall = time.perf_counter() - t0
        per_sample = wall * (n / steps) / m
        print(f"| {m} | {steps} of {n} | {per_sample:.4f} | {steps} | {wall / steps * 1e3:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
