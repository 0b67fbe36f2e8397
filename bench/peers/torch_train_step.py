"""PyTorch peer of bench/train-step.ts: the small CNN trained on one thread, driven over stdin/stdout.

    /usr/bin/python3 bench/peers/torch_train_step.py BATCH SIZE CLASSES

Protocol (so that the parent can interleave these steps with its own, round by round):
  1. the parent writes the batch: BATCH*SIZE*SIZE float32 pixels (NCHW, one channel), then BATCH
     int32 labels, all little-endian;
  2. this script answers one JSON line: {"ready": true, "torch": version, "threads": n}, or
     {"unavailable": reason} when PyTorch cannot be imported;
  3. for each line "run N" it runs N training steps and answers {"ms": wall time of the N steps,
     "loss": the last step's loss}; end of input ends it.
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


def small_cnn(nn, classes, size):
    """models.smallCnn() of dropgrad: [conv3x3 (no bias) -> BN -> ReLU -> maxpool2] x 2 -> 128 -> classes."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, bias=False),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * (size // 4) * (size // 4), 128),
        nn.ReLU(),
        nn.Linear(128, classes),
    )


def main():
    batch, size, classes = (int(arg) for arg in sys.argv[1:4])
    stdin = sys.stdin.buffer
    try:
        import torch
        from torch import nn
    except ImportError as error:
        reply({"unavailable": f"{error}; install it with apt-get install python3-torch"})
        return
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.frombuffer(read_exact(stdin, batch * size * size * 4), dtype=torch.float32).reshape(batch, 1, size, size)
    y = torch.frombuffer(read_exact(stdin, batch * 4), dtype=torch.int32).long()
    model = small_cnn(nn, classes, size).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()})
    for line in stdin:
        command, steps = line.split()
        if command != b"run":
            raise ValueError(f"expected 'run N', got {line!r}")
        start = time.perf_counter()
        for _ in range(int(steps)):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        value = loss.item()
        reply({"ms": (time.perf_counter() - start) * 1000, "loss": value})


if __name__ == "__main__":
    main()
