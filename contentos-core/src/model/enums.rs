//! The small closed vocabularies of the domain, as enums with stable wire names.
//!
//! Each enum serializes to the lowercase names used by the design document's REST API and
//! database schema (`"blog"`, `"professional"`, `"pending"`), and parses them back with a
//! [`Error::Validation`](crate::Error::Validation) naming the field on failure.

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident = $wire:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire $(, alias = $alias)*)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.trim().to_ascii_lowercase();
                match lower.as_str() {
                    $($wire $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(crate::Error::validation(
                        $field,
                        format!("one of {}", [$($wire),+].join(", ")),
                    )),
                }
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// What kind of content is generated; drives the prompt template and the token budget.
    ContentType, "contentType" {
        /// Long-form article (token budget 2000).
        Blog = "blog",
        /// Social post (token budget 500).
        Social = "social",
        /// Newsletter or email.
        Email = "email",
    }
);

wire_enum!(
    /// The voice of generated text.
    Tone, "tone" {
        /// Formal and precise.
        Professional = "professional",
        /// Conversational.
        Casual = "casual",
        /// Detailed, for practitioners.
        Technical = "technical",
        /// Light and clever.
        Witty = "witty",
    }
);

wire_enum!(
    /// Requested length of generated text.
    Length, "length" {
        /// A few paragraphs.
        Short = "short",
        /// A standard article.
        Medium = "medium",
        /// An in-depth piece.
        Long = "long",
    }
);

wire_enum!(
    /// Text format of a content body.
    Format, "format" {
        /// CommonMark.
        Markdown = "markdown",
        /// HTML.
        Html = "html",
        /// Plain text.
        Plain = "plain",
    }
);

wire_enum!(
    /// Lifecycle of a content item.
    ContentStatus, "status" {
        /// Being edited.
        Draft = "draft",
        /// At least one variation is scheduled.
        Scheduled = "scheduled",
        /// At least one variation is published.
        Published = "published",
    }
);

wire_enum!(
    /// Subscription tier; selects LLM quotas (design document section 15.1).
    Tier, "tier" {
        /// Free tier.
        Free = "free",
        /// Paid tier.
        Pro = "pro",
        /// Enterprise tier.
        Enterprise = "enterprise",
    }
);

#[allow(clippy::derivable_impls)] // the variants come from a macro that cannot carry #[default]
impl Default for Tier {
    fn default() -> Self {
        Tier::Free
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Format {
    fn default() -> Self {
        Format::Markdown
    }
}

#[allow(clippy::derivable_impls)]
impl Default for ContentStatus {
    fn default() -> Self {
        ContentStatus::Draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for t in Tone::ALL {
            assert_eq!(t.as_str().parse::<Tone>().unwrap(), *t);
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(serde_json::from_str::<Tone>(&json).unwrap(), *t);
        }
        let err = "loud".parse::<Tone>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid tone: one of professional, casual, technical, witty"
        );
    }
}
