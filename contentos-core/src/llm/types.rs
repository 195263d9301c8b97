//! The provider-neutral request and response types every [`LlmProvider`](super::LlmProvider)
//! speaks.
//!
//! Why normalised types: the pipeline, the wrappers (retry, fallback, cache, metering) and the
//! bindings must not care whether OpenAI, Anthropic or a local OpenAI-compatible server
//! answered. Each provider module translates these to and from its own wire format.

use crate::model::{Tier, WorkspaceId};
use serde::{Deserialize, Serialize};

/// Who said a message in the conversation sent to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The end user (or the pipeline speaking for them).
    User,
    /// A previous model answer (few-shot examples, multi-turn rewrites).
    Assistant,
}

/// One turn of the conversation. The system prompt is not a message: it lives in
/// [`CompletionRequest::system`] because Anthropic sends it top-level and OpenAI as the first
/// message; each provider places it where its API expects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    /// Who said it.
    pub role: Role,
    /// Plain text content.
    pub content: String,
}

impl Message {
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// How demanding the task is; the [`Router`](super::Router) maps it to a cheap or a strong model
/// when the request names no model (design document section 12.3: cheaper models for simple
/// tasks keep cost down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskHint {
    /// Short rewrites: social transforms, key-message extraction, personalisation of a post.
    Simple,
    /// Long-form generation (blog posts, newsletters) where quality matters most.
    #[default]
    LongForm,
}

/// The workspace a call is made for, so usage is charged and its tier quota enforced
/// ([`UsageMeter`](super::UsageMeter)) and so cached answers never cross tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkspaceScope {
    /// The workspace charged for the call.
    pub id: WorkspaceId,
    /// Its subscription tier, which selects the quota.
    pub tier: Tier,
}

/// A provider-neutral completion request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionRequest {
    /// Model name; `None` lets the [`Router`](super::Router) or the provider's default choose.
    /// Set it only when the chain has one provider: an OpenAI model name means nothing to
    /// Anthropic after a fallback.
    pub model: Option<String>,
    /// System prompt (brand voice, instructions).
    pub system: Option<String>,
    /// The conversation, oldest first; must not be empty.
    pub messages: Vec<Message>,
    /// Sampling temperature (0.0..=2.0 for OpenAI, 0.0..=1.0 for Anthropic).
    pub temperature: Option<f32>,
    /// Upper bound on generated tokens (the pipeline's token budget).
    pub max_tokens: Option<u32>,
    /// How demanding the task is; drives model routing.
    pub task: TaskHint,
    /// The workspace the call is for (quota, cost attribution, cache isolation).
    pub workspace: Option<WorkspaceScope>,
    /// Distinguishes otherwise identical requests (variation 0, 1, 2 …) so the response cache
    /// and in-flight deduplication do not hand the same text to every variation. Not sent
    /// upstream.
    pub variant: u32,
    /// When true, the response cache and in-flight deduplication are bypassed for this call.
    pub no_cache: bool,
}

impl CompletionRequest {
    /// A request with one user message and defaults everywhere else.
    pub fn new(prompt: impl Into<String>) -> Self {
        CompletionRequest {
            model: None,
            system: None,
            messages: vec![Message::user(prompt)],
            temperature: None,
            max_tokens: None,
            task: TaskHint::default(),
            workspace: None,
            variant: 0,
            no_cache: false,
        }
    }

    /// Sets the system prompt.
    pub fn with_system(mut self, system: impl Into<String>) -> Self {
        self.system = Some(system.into());
        self
    }

    /// Sets the model explicitly.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the temperature.
    pub fn with_temperature(mut self, t: f32) -> Self {
        self.temperature = Some(t);
        self
    }

    /// Sets the token budget.
    pub fn with_max_tokens(mut self, n: u32) -> Self {
        self.max_tokens = Some(n);
        self
    }

    /// Sets the task hint.
    pub fn with_task(mut self, task: TaskHint) -> Self {
        self.task = task;
        self
    }

    /// Sets the workspace the call is charged to.
    pub fn with_workspace(mut self, id: WorkspaceId, tier: Tier) -> Self {
        self.workspace = Some(WorkspaceScope { id, tier });
        self
    }

    /// Sets the variant index (see [`CompletionRequest::variant`]).
    pub fn with_variant(mut self, variant: u32) -> Self {
        self.variant = variant;
        self
    }

    /// Bypasses the response cache and in-flight deduplication for this call.
    pub fn with_no_cache(mut self) -> Self {
        self.no_cache = true;
        self
    }

    /// Checks what every provider needs: at least one message, sane temperature and budget.
    pub fn validate(&self) -> crate::Result<()> {
        if self.messages.is_empty() {
            return Err(crate::Error::validation("messages", "at least one message"));
        }
        if let Some(t) = self.temperature {
            if !(0.0..=2.0).contains(&t) || t.is_nan() {
                return Err(crate::Error::validation("temperature", "0.0..=2.0"));
            }
        }
        if self.max_tokens == Some(0) {
            return Err(crate::Error::validation("max_tokens", "at least 1"));
        }
        Ok(())
    }

    /// A rough token estimate of the prompt (4 characters per token), used to reserve quota
    /// before the call when the real count is not known yet.
    pub fn estimated_prompt_tokens(&self) -> u64 {
        let chars: usize = self.system.as_deref().map_or(0, str::len)
            + self.messages.iter().map(|m| m.content.len()).sum::<usize>();
        (chars as u64).div_ceil(4) + 4 * self.messages.len() as u64
    }
}

/// Why generation stopped, normalised across providers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// The model finished naturally (OpenAI `stop`, Anthropic `end_turn` / `stop_sequence`).
    Stop,
    /// The token budget ran out (OpenAI `length`, Anthropic `max_tokens`): the text is cut.
    Length,
    /// The provider's content filter removed output.
    ContentFilter,
    /// The model asked to call a tool (not used by the pipeline).
    ToolUse,
    /// Anything else, as the provider named it.
    Other(String),
}

/// Token counts reported by the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens in the prompt (system + messages).
    pub prompt_tokens: u32,
    /// Tokens generated.
    pub completion_tokens: u32,
}

impl Usage {
    /// Prompt plus completion tokens.
    pub fn total(&self) -> u64 {
        u64::from(self.prompt_tokens) + u64::from(self.completion_tokens)
    }
}

/// A finished completion, normalised across providers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The generated text.
    pub text: String,
    /// Why generation stopped.
    pub finish_reason: FinishReason,
    /// The provider that produced the text (`"openai"`, `"anthropic"`).
    pub provider: String,
    /// The model that produced it, as the provider reported it.
    pub model: String,
    /// The provider's request id (`x-request-id` / `request-id`), for support tickets.
    pub request_id: Option<String>,
    /// Token counts, when the provider reported them.
    pub usage: Option<Usage>,
    /// Which member of a [`Fallback`](super::Fallback) chain served the answer; equals
    /// `provider` outside a chain.
    pub served_by: String,
    /// Cost in US dollars, filled in by the [`UsageMeter`](super::UsageMeter) from its price
    /// table; `None` when the call was not metered or the model is not priced.
    pub cost_usd: Option<f64>,
    /// True when the answer came from the response cache rather than an upstream call.
    pub cached: bool,
}

/// The end of a stream: what a [`Completion`] says besides its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamSummary {
    /// Why generation stopped.
    pub finish_reason: FinishReason,
    /// The provider that streamed.
    pub provider: String,
    /// The model that streamed.
    pub model: String,
    /// The provider's request id.
    pub request_id: Option<String>,
    /// Token counts (OpenAI's usage-only final chunk, Anthropic's `message_delta`).
    pub usage: Option<Usage>,
    /// Which member of a fallback chain served the stream.
    pub served_by: String,
    /// Cost in US dollars, when metered.
    pub cost_usd: Option<f64>,
}

/// One item of a completion stream: text deltas, then exactly one [`CompletionChunk::Done`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CompletionChunk {
    /// The next piece of generated text.
    Delta(String),
    /// The stream finished; carries usage and metadata. Always the last item of a successful
    /// stream.
    Done(StreamSummary),
}
