"""The fine-tuning loop: seeded, deterministic order, early stopping on validation.

Batches hold texts of similar length (shuffled in buckets, then the batches shuffled),
which on a CPU saves most of the padding. The word embeddings stay frozen by default:
with a few thousand texts most of the 250k rows would never be updated, and a frozen
table is what lets the vocabulary be trimmed after training without changing a weight.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from gongkai.models.encoder.network import EncoderClassifier
from gongkai.models.encoder.windows import pad

BUCKET = 8  # batches per length bucket
MAX_POS_WEIGHT = 10.0
LOG_EVERY = 25  # batches between progress lines
# Layers the base encoder does not have, trained from scratch at the head learning rate.
NEW_LAYERS = (".classifier.", ".pooler.")


def usable_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class FitConfig:
    # 5 epochs at 5e-5 left the paragraph tagger at validation macro-F1 0.65 and still
    # rising; 10 at 1e-4 reached (see the model card); 2e-4 learnt more slowly.
    epochs: int = 10
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3  # the new head starts from nothing and learns faster
    weight_decay: float = 0.01
    warmup: float = 0.1
    patience: int = 3
    max_grad_norm: float = 1.0
    freeze_embeddings: bool = True
    # Every usable core: on an idle 2-core machine two threads halve a training step. On
    # cores shared with other work, OpenMP threads that spin waiting for each other made a
    # step 3–6 times slower instead, so there pass 1 (``gongkai train --threads 1``).
    threads: int = field(default_factory=usable_cores)
    seed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FitReport:
    best_epoch: int = 0
    best_score: float = -1.0
    history: list[dict] = field(default_factory=list)
    seconds: float = 0.0


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run torch with ``count`` intra-op threads, then restore the previous setting."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def class_weights(targets: np.ndarray, classes: int) -> torch.Tensor:
    """Inverse class frequency (scikit-learn's "balanced"), for the cross-entropy."""
    counts = np.bincount(targets, minlength=classes).clip(min=1)
    return torch.tensor(len(targets) / (classes * counts), dtype=torch.float32)


def positive_weights(targets: np.ndarray) -> torch.Tensor:
    """Negatives per positive of each label, at most 10, for the binary cross-entropy."""
    positives = targets.sum(axis=0)
    ratio = (len(targets) - positives) / np.maximum(positives, 1)
    return torch.tensor(ratio.clip(1.0, MAX_POS_WEIGHT), dtype=torch.float32)


def loss_function(task: str, targets: np.ndarray, classes: int) -> nn.Module:
    if task == "request":
        return nn.CrossEntropyLoss(weight=class_weights(targets, classes))
    return nn.BCEWithLogitsLoss(pos_weight=positive_weights(targets))


def epoch_order(lengths: Sequence[int], batch_size: int,
                generator: torch.Generator) -> list[np.ndarray]:
    """Batches of indices: a seeded shuffle, sorted by length inside buckets, batches
    shuffled again."""
    order = torch.randperm(len(lengths), generator=generator).numpy()
    span = batch_size * BUCKET
    batches = []
    for start in range(0, len(order), span):
        bucket = order[start:start + span]
        bucket = bucket[np.argsort([lengths[i] for i in bucket], kind="stable")]
        batches += [bucket[i:i + batch_size] for i in range(0, len(bucket), batch_size)]
    shuffle = torch.randperm(len(batches), generator=generator).numpy()
    return [batches[i] for i in shuffle]


def _optimizer(network: EncoderClassifier, config: FitConfig) -> torch.optim.Optimizer:
    groups: dict[tuple[float, float], list[nn.Parameter]] = {}
    for name, parameter in network.named_parameters():
        if not parameter.requires_grad:
            continue
        new = any(part in name for part in NEW_LAYERS)
        rate = config.head_learning_rate if new else config.learning_rate
        decay = 0.0 if parameter.ndim == 1 else config.weight_decay  # no decay on biases, norms
        groups.setdefault((rate, decay), []).append(parameter)
    return torch.optim.AdamW([{"params": p, "lr": r, "weight_decay": d}
                              for (r, d), p in groups.items()])


def _schedule(optimizer: torch.optim.Optimizer, steps: int, warmup: float,
              ) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up, then linear decay to zero."""
    ramp = max(1, int(steps * warmup))

    def factor(step: int) -> float:
        if step < ramp:
            return (step + 1) / ramp
        return max(0.0, (steps - step) / max(1, steps - ramp))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def fine_tune(network: EncoderClassifier, windows: Sequence[Sequence[int]], targets: np.ndarray,
              loss: nn.Module, score: Callable[[], float], config: FitConfig, pad_id: int,
              log: Callable[[str], None] | None = None) -> FitReport:
    """Train ``network`` in place on (window, target) pairs; after each epoch ``score()``
    measures validation macro-F1, and the best epoch's weights are kept. Stops after
    ``patience`` epochs without improvement."""
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    network.word_embeddings.weight.requires_grad_(not config.freeze_embeddings)
    lengths = [len(w) for w in windows]
    per_epoch = -(-len(windows) // config.batch_size)
    optimizer = _optimizer(network, config)
    schedule = _schedule(optimizer, per_epoch * config.epochs, config.warmup)
    target = torch.as_tensor(targets)
    report = FitReport()
    best: dict[str, torch.Tensor] = {}
    for epoch in range(1, config.epochs + 1):
        network.train()
        total = 0.0
        for step, batch in enumerate(epoch_order(lengths, config.batch_size, generator), 1):
            ids, mask = pad([windows[i] for i in batch], pad_id)
            value = loss(network(torch.from_numpy(ids), torch.from_numpy(mask)),
                         target[torch.from_numpy(batch)])
            optimizer.zero_grad()
            value.backward()
            nn.utils.clip_grad_norm_(network.parameters(), config.max_grad_norm)
            optimizer.step()
            schedule.step()
            total += value.item() * len(batch)
            if log and step % LOG_EVERY == 0:
                log(f"epoch {epoch}: {step}/{per_epoch} batches "
                    f"({time.perf_counter() - started:.0f}s)")
        network.eval()
        current = score()
        report.history.append({"epoch": epoch, "loss": round(total / len(windows), 4),
                               "validation_macro_f1": round(current, 4)})
        if log:
            log(f"epoch {epoch}: loss {total / len(windows):.4f}, validation macro-F1 "
                f"{current:.4f} ({time.perf_counter() - started:.0f}s)")
        if current > report.best_score:
            report.best_epoch, report.best_score = epoch, current
            best = {name: p.detach().clone() for name, p in network.named_parameters()
                    if p.requires_grad}
        elif epoch - report.best_epoch >= config.patience:
            break
    with torch.no_grad():
        for name, parameter in network.named_parameters():
            if name in best:
                parameter.copy_(best[name])
    network.eval()
    report.seconds = round(time.perf_counter() - started, 2)
    return report
