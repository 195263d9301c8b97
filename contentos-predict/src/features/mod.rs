//! Text and context features (readability, sentiment, text statistics, timing, history).
