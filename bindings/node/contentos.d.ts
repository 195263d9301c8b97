// Public types of @contentos/sdk: the generated native types (index.d.ts) plus the JS layer.
import type { ScoreOptions as NativeScoreOptions, GenerateEvent as NativeGenerateEvent } from './index'
export {
  ContentOS,
  GenerateStream,
  BlueskyPublisher,
  MastodonPublisher,
  BlueskyCredentials,
  MastodonCredentials,
  BlueskyOptions,
  MastodonOptions,
  PostInput,
  PostPartInput,
  PublishReceipt,
  PartReceipt,
  ClientOptions,
  GenerateOptions,
  NewAccountInput,
  PublisherConfig,
  User,
  BrandVoice,
  Workspace,
  WorkspaceMembership,
  Content,
  ContentWithVariations,
  ContentPage,
  Variation,
  GeneratedContent,
  GenerateEvent,
  PersonalizedVersion,
  Segment,
  Account,
  ScheduledPost,
  PublishOutcome,
  PublishNowResult,
  PerformanceReport,
  PerformanceSummary,
  TopPerformer,
  GroupStats,
  TimeSlot,
} from './index'

declare module './index' {
  interface GenerateStream {
    [Symbol.asyncIterator](): AsyncIterator<NativeGenerateEvent>
  }
}

/** A time as the JS layer accepts it. */
export type TimeLike = Date | string | number

/** Options of `scorePosts`. */
export interface ScoreOptions extends Omit<NativeScoreOptions, 'postedAt'> {
  /** Planned publish time(s): one for all texts or one per text. */
  postedAt?: TimeLike | TimeLike[]
}

/** Scores posts (0–100) with the bundled engagement model; one score per text, in order. */
export declare function scorePosts(texts: Iterable<string>, options?: ScoreOptions): Promise<Float64Array>

/** Converts a native error to a typed ContentOSError (used internally; exported for tests). */
export declare function convertError(err: unknown): unknown

/** Base class of every SDK error. `code` is the ErrorKind string (`"validation"`, …). */
export declare class ContentOSError extends Error {
  code: string
  field?: string
  rule?: string
  service?: string
  retryAfter?: number | null
  platform?: string
  entity?: string
  id?: string
  action?: string
  reason?: string
  status?: number | null
  feature?: string
  platformCode?: string
}
export declare class ValidationError extends ContentOSError { field: string; rule: string }
export declare class NotFoundError extends ContentOSError {}
export declare class PermissionDeniedError extends ContentOSError {}
export declare class RateLimitError extends ContentOSError { retryAfter: number | null }
export declare class UnauthorizedError extends ContentOSError {}
export declare class UnconfirmedPublishError extends ContentOSError {}
export declare class UnavailableError extends ContentOSError {}
export declare class NeedsReauthError extends ContentOSError { platform: string }
