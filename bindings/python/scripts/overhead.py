"""Binding overhead of batch scoring: Python (`contentos.score_posts`) vs the same run in Rust.

Both sides follow one protocol (load the corpus, warm up on 1,000 posts, score the whole corpus
several times) in separate processes, started alternately (Rust, Python, Python, Rust, …) so
that both see the same machine load over the measurement. Reported per side: the median and the
spread (min–max) of wall time and of process CPU time per batch, with all cores and with one
rayon thread (RAYON_NUM_THREADS=1, where CPU time is the cleanest signal). With ``--callgrind``
it also counts instructions under valgrind (single thread; the count of a "score" process minus
that of a "warm-up only" process of the same kind), which does not depend on machine load.

    python overhead.py RUST_BINARY corpus.json [--rounds 5] [--repeats 3] [--callgrind N] [--json out.json]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def commands(rust_bin, corpus, repeats, extra=()):
    return {
        "rust": [rust_bin, corpus, "--repeats", str(repeats), *extra],
        "python": [sys.executable, os.path.join(HERE, "throughput.py"), corpus, "--repeats", str(repeats), *extra],
    }


def timings(rust_bin, corpus, rounds, repeats, threads):
    env = {"RAYON_NUM_THREADS": str(threads)} if threads else {}
    cmds = commands(rust_bin, corpus, repeats)
    samples = {"rust": [], "python": []}
    for r in range(rounds):
        order = ("rust", "python") if r % 2 == 0 else ("python", "rust")
        for lang in order:
            samples[lang] += run(cmds[lang], env)
    return samples


def summary(rows, key):
    xs = sorted(s[key] for s in rows)
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs)}


def instructions(cmd, env_extra):
    """Instructions executed by `cmd` under callgrind (all threads)."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, **env_extra)
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/cg.out", *cmd],
            capture_output=True, text=True, env=env, check=True,
        )
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m:
        raise RuntimeError(f"no callgrind total in: {p.stderr[-500:]}")
    return int(m.group(1))


def callgrind(rust_bin, corpus, n):
    """Δ instructions for one batch of n posts, per side (score run minus warm-up-only run)."""
    with open(corpus) as f:
        c = json.load(f)
    c["texts"] = c["texts"][:n]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(c, f)
        small = f.name
    try:
        env = {"RAYON_NUM_THREADS": "1"}
        out = {}
        score = commands(rust_bin, small, 1)
        base = commands(rust_bin, small, 1, ("--no-score",))
        for lang in ("rust", "python"):
            out[lang] = instructions(score[lang], env) - instructions(base[lang], env)
        return out
    finally:
        os.unlink(small)


def pct(py, rust):
    return (py / rust - 1.0) * 100.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rust_bin")
    ap.add_argument("corpus")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--callgrind", type=int, default=0, metavar="N", help="also count instructions for N posts")
    ap.add_argument("--json", help="write the raw figures here")
    a = ap.parse_args()
    result = {"load_before": os.getloadavg()}
    print(f"load average before: {result['load_before'][0]:.2f} (2 vCPUs)")
    for label, threads in (("all cores", 0), ("1 thread", 1)):
        s = timings(a.rust_bin, a.corpus, a.rounds, a.repeats, threads)
        posts = s["rust"][0]["posts"]
        result[label] = {}
        print(f"\n{label}: {posts:,} posts per batch, {a.rounds} processes x {a.repeats} batches per side, interleaved")
        print(f"{'':8} {'wall median (min-max)':>28} {'CPU median (min-max)':>28} {'posts/s (wall)':>15}")
        for lang in ("rust", "python"):
            w, c = summary(s[lang], "wall"), summary(s[lang], "cpu")
            result[label][lang] = {"wall": w, "cpu": c}
            print(f"{lang:8} {w['median']:>9.3f}s ({w['min']:.3f}-{w['max']:.3f}) "
                  f"{c['median']:>12.3f}s ({c['min']:.3f}-{c['max']:.3f}) {posts / w['median']:>15,.0f}")
        r, p = result[label]["rust"], result[label]["python"]
        ow, oc = pct(p["wall"]["median"], r["wall"]["median"]), pct(p["cpu"]["median"], r["cpu"]["median"])
        result[label]["overhead_wall_pct"], result[label]["overhead_cpu_pct"] = ow, oc
        print(f"binding overhead (medians): wall {ow:+.1f}%, CPU {oc:+.1f}% (goal <= 10%)")
    if a.callgrind:
        ins = callgrind(a.rust_bin, a.corpus, a.callgrind)
        result["callgrind"] = {"posts": a.callgrind, **ins, "overhead_pct": pct(ins["python"], ins["rust"])}
        print(f"\ninstructions for one batch of {a.callgrind:,} posts (callgrind, 1 thread):")
        print(f"rust {ins['rust']:,}  python {ins['python']:,}  overhead {result['callgrind']['overhead_pct']:+.2f}%")
    result["load_after"] = os.getloadavg()
    print(f"\nload average after: {result['load_after'][0]:.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
