"""PNG charts of a bench run (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend is chosen first)

__all__ = ["bar_chart", "line_chart"]


def bar_chart(path: Path, title: str, labels: list[str], values: list[float], unit: str,
              *, highlight: str = "zhengwen", log: bool = False) -> None:
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.4))
    colours = ["#c0392b" if label.startswith(highlight) else "#7f8c8d" for label in labels]
    ax.barh(labels[::-1], values[::-1], color=colours[::-1])
    for y, value in enumerate(values[::-1]):
        ax.text(value, y, f" {value:.3g}", va="center", fontsize=8)
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(unit)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def line_chart(path: Path, title: str, xs: list[float], ys: list[float], xlabel: str,
               ylabel: str) -> None:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(xs, ys, marker="o", color="#c0392b")
    ax.set_xscale("log")
    ax.set_ylim(0, max(ys) * 1.3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
