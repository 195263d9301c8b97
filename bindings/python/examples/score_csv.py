"""Notebook-style example: load a CSV of posts, score them, plot the score distribution.

    python score_csv.py posts.csv --png scores.png           # CSV with a `text` column
    python score_csv.py --demo posts.csv --png scores.png    # writes a small demo CSV first

Optional columns: `posted_at` (ISO time), `platform` (one platform for the whole file).
"""

import argparse
import random

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import contentos  # noqa: E402


def write_demo(path: str, n: int = 500) -> None:
    rng = random.Random(7)
    words = ["launch", "guide", "Rust", "team", "today", "new", "release", "tips", "why", "free"]
    rows = []
    for i in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 25)))
        text += rng.choice(["", "!", "?", " #rust", " https://example.com", " 🚀"])
        rows.append({"text": text, "posted_at": f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"})
    pd.DataFrame(rows).to_csv(path, index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--png", default="scores.png")
    ap.add_argument("--platform", default="twitter")
    ap.add_argument("--demo", action="store_true", help="write a demo CSV to the path first")
    args = ap.parse_args()
    if args.demo:
        write_demo(args.csv)

    df = pd.read_csv(args.csv)
    posted = pd.to_datetime(df["posted_at"], utc=True) if "posted_at" in df else None
    df["score"] = contentos.score_posts(
        df["text"], platform=args.platform,
        posted_at=None if posted is None else posted.values,
    )
    print(df["score"].describe().round(2).to_string())
    print("\nTop posts:")
    print(df.nlargest(3, "score")[["score", "text"]].to_string(index=False))

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(df["score"], bins=30, color="#3b82f6", edgecolor="white")
    ax.set_xlabel("predicted engagement (0-100)")
    ax.set_ylabel("posts")
    ax.set_title(f"{len(df)} posts, median {df['score'].median():.1f}")
    fig.tight_layout()
    fig.savefig(args.png, dpi=100)
    print(f"\nsaved {args.png}")


if __name__ == "__main__":
    main()
