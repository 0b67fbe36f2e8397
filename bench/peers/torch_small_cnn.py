"""PyTorch peer of bench/train-step.ts and bench/infer.ts: dropgrad's small CNN, driven over stdin/stdout.

    /usr/bin/python3 bench/peers/torch_small_cnn.py MODE THREADS BATCH SIZE CLASSES [TECHNIQUE]

MODE is "train" (a step: zero the gradients, forward, cross-entropy, backward, Adam lr 1e-3) or
"infer" (a step: one forward pass in eval mode under torch.no_grad, batch norm on its running
stats, with the parent's weights). THREADS goes to torch.set_num_threads. TECHNIQUE (default none)
puts a drop layer where dropgrad's smallCnn puts it, at bench/techniques.ts' rate (TECHNIQUES below).

Protocol (so that the parent can interleave these steps with its own, round by round):
  1. the parent writes the batch: BATCH*SIZE*SIZE float32 pixels (NCHW, one channel), then BATCH
     int32 labels, all little-endian; in infer mode then every tensor of the model's state_dict but
     num_batches_tracked, float32, in state_dict order (dropgrad's stateDict has the same keys and shapes);
  2. this script answers one JSON line: {"ready": true, "torch": version, "threads": n}, or
     {"unavailable": reason} when PyTorch cannot be imported;
  3. for each line "run N" it runs N steps and answers {"ms": wall time of the N steps, "value":
     the last training step's loss, or the sum of the last inference's outputs}; end of input ends it.
"""
import json
import sys
import time


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def read_exact(stream, size):
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"expected {size} bytes of batch data, got {len(data)}")
    return bytearray(data)  # writable, so torch.frombuffer does not warn


# The drop layer of each technique PyTorch has, and its slot: "conv" after each stage's ReLU, before
# its max pool; "classifier" after the flatten and after the hidden ReLU (dropgrad's smallCnn slots).
TECHNIQUES = {
    "none": (None, None),
    "dropout": ("classifier", lambda nn: nn.Dropout(0.5)),
    "alpha-dropout": ("classifier", lambda nn: nn.AlphaDropout(0.1)),
    "dropout-conv": ("conv", lambda nn: nn.Dropout(0.1)),
    "dropout2d": ("conv", lambda nn: nn.Dropout2d(0.1)),
    "dropblock": ("conv", lambda nn: __import__("torchvision.ops", fromlist=["DropBlock2d"]).DropBlock2d(0.1, 5)),
}


def small_cnn(nn, classes, size, technique="none"):
    """models.smallCnn() of dropgrad: [conv3x3 (no bias) -> BN -> ReLU -> maxpool2] x 2 -> 128 -> classes."""
    slot, make = TECHNIQUES[technique]

    def drop(where):
        return [make(nn)] if slot == where else []

    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        *drop("conv"),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        *drop("conv"),
        nn.MaxPool2d(2),
        nn.Flatten(),
        *drop("classifier"),
        nn.Linear(32 * (size // 4) * (size // 4), 128),
        nn.ReLU(),
        *drop("classifier"),
        nn.Linear(128, classes),
    )


def training_step(torch, nn, model, x, y):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return step


def inference_step(torch, model, x):
    model.eval()

    def step():
        with torch.no_grad():
            return model(x).sum()

    return step


def main():
    mode = sys.argv[1]
    threads, batch, size, classes = (int(arg) for arg in sys.argv[2:6])
    technique = sys.argv[6] if len(sys.argv) > 6 else "none"
    if mode not in ("train", "infer"):
        raise ValueError(f"MODE: expected train or infer, got {mode!r}")
    if technique not in TECHNIQUES:
        raise ValueError(f"TECHNIQUE: expected one of {', '.join(TECHNIQUES)}, got {technique!r}")
    stdin = sys.stdin.buffer
    try:
        import torch
        from torch import nn
    except ImportError as error:
        reply({"unavailable": f"{error}; install it with apt-get install python3-torch"})
        return
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.frombuffer(read_exact(stdin, batch * size * size * 4), dtype=torch.float32).reshape(batch, 1, size, size)
    y = torch.frombuffer(read_exact(stdin, batch * 4), dtype=torch.int32).long()
    try:
        model = small_cnn(nn, classes, size, technique)
    except ImportError as error:
        reply({"unavailable": f"{error}; install it with apt-get install python3-torchvision"})
        return
    if mode == "infer":
        with torch.no_grad():
            for name, value in model.state_dict().items():
                if not name.endswith("num_batches_tracked"):
                    value.copy_(torch.frombuffer(read_exact(stdin, value.numel() * 4), dtype=torch.float32).reshape(value.shape))
    step = training_step(torch, nn, model, x, y) if mode == "train" else inference_step(torch, model, x)
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()})
    for line in stdin:
        command, steps = line.split()
        if command != b"run":
            raise ValueError(f"expected 'run N', got {line!r}")
        start = time.perf_counter()
        for _ in range(int(steps)):
            value = step()
        reply({"ms": (time.perf_counter() - start) * 1000, "value": value.item()})


if __name__ == "__main__":
    main()
