//! Fixtures shared by the crate's unit tests: the parity corpus and generated texts.
//!
//! Every fast path of the text features is tested against the rule it replaces on the same two
//! inputs: the 4,686 texts of the golden corpus (`tests/golden/texts.jsonl`) and random
//! concatenations of the pieces each rule is sensitive to.

/// xorshift64*: deterministic and dependency-free.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One element of `items` (non-empty).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The texts of the golden corpus.
pub(crate) fn golden_texts() -> Vec<String> {
    include_str!("../tests/golden/texts.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect()
}

/// `count` texts of 1 to `max_pieces` pieces, each followed by one of `separators`.
pub(crate) fn generated_texts(
    seed: u64,
    count: usize,
    max_pieces: u64,
    pieces: &[&str],
    separators: &[&str],
) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let mut t = String::new();
            for _ in 0..1 + rng.below(max_pieces) {
                t.push_str(rng.pick(pieces));
                t.push_str(rng.pick(separators));
            }
            t
        })
        .collect()
}
