//! Text engine speed: splitting a 5,000-character article into an X thread, and measuring
//! 10,000 short posts (figures in docs/bench-text.md).

use contentos_core::model::Platform;
use contentos_core::text::{extract_entities, measure, split_thread, Numbering, SplitOptions};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// A deterministic ~5,000-character article with paragraphs, URLs, mentions, hashtags, emoji.
fn article() -> String {
    let sentences = [
        "Shipping a content pipeline means every platform counts text differently.",
        "X weighs CJK and emoji double, while every link costs 23 characters: https://example.com/blog/launch-notes.",
        "Bluesky counts graphemes, so 👨‍👩‍👧‍👦 is one character but 25 bytes.",
        "Ask @contentos_dev about #RustLang support, or read docs.example.org/text for details.",
        "Threads stay readable when parts break at paragraphs first, then sentences, then words.",
        "We measured it on real drafts — 你好世界 included — and kept every URL whole.",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.chars().count() < 5000 {
        out.push_str(sentences[i % sentences.len()]);
        out.push(if i % 5 == 4 { '\n' } else { ' ' });
        if i % 5 == 4 {
            out.push('\n');
        }
        i += 1;
    }
    out.chars().take(5000).collect()
}

fn short_posts() -> Vec<String> {
    (0..10_000)
        .map(|i| match i % 4 {
            0 => format!("Post {i}: new release is out https://example.com/r/{i} #launch"),
            1 => format!("@user{i} thanks for the feedback 🙏 we shipped the fix in v{i}"),
            2 => format!("今日は{i}件の投稿を予約しました。example.jp/{i}"),
            _ => format!("Short post number {i} with $TICK and an emoji 🇺🇸 and a family 👨‍👩‍👧"),
        })
        .collect()
}

fn bench_text(c: &mut Criterion) {
    let article = article();
    let options = SplitOptions {
        numbering: Numbering::Suffix,
        ..Default::default()
    };
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(article.len() as u64));
    group.bench_function("split_5000_char_article_for_x", |b| {
        b.iter(|| split_thread(Platform::X, black_box(&article), &options).map(|p| p.len()))
    });

    let posts = short_posts();
    group.throughput(Throughput::Elements(posts.len() as u64));
    group.bench_function("measure_10000_short_posts_x", |b| {
        b.iter(|| {
            posts
                .iter()
                .filter(|p| measure(Platform::X, black_box(p)).valid)
                .count()
        })
    });
    group.bench_function("measure_10000_short_posts_bluesky", |b| {
        b.iter(|| {
            posts
                .iter()
                .filter(|p| measure(Platform::Bluesky, black_box(p)).valid)
                .count()
        })
    });
    group.bench_function("extract_entities_10000_short_posts", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| extract_entities(black_box(p)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_text);
criterion_main!(benches);
