-- ContentOS schema (PostgreSQL), after section 3.1 of the design document with the indexes of
-- section 10.2. Every instant is timestamptz (UTC on the wire); JSON is JSONB.

CREATE TABLE users (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email             VARCHAR(255) NOT NULL CHECK (email <> ''),
    password_hash     VARCHAR(255),
    oauth_provider    VARCHAR(50),
    oauth_id          VARCHAR(255),
    subscription_tier VARCHAR(20) NOT NULL DEFAULT 'free'
                      CHECK (subscription_tier IN ('free', 'pro', 'enterprise')),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_users_email ON users (lower(email));

CREATE TABLE workspaces (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL CHECK (name <> ''),
    brand_voice JSONB NOT NULL DEFAULT '{}'::jsonb,
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE workspace_members (
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         VARCHAR(20) NOT NULL DEFAULT 'member'
                 CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX idx_members_user ON workspace_members (user_id);

CREATE TABLE content (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    created_by     UUID NOT NULL REFERENCES users(id),
    title          VARCHAR(500),
    original_input TEXT NOT NULL,
    content_type   VARCHAR(50) NOT NULL CHECK (content_type IN ('blog', 'social', 'email')),
    format         VARCHAR(50) NOT NULL DEFAULT 'markdown'
                   CHECK (format IN ('markdown', 'html', 'plain')),
    metadata       JSONB NOT NULL DEFAULT '{}'::jsonb,
    status         VARCHAR(20) NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'scheduled', 'published')),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_content_workspace ON content (workspace_id);
CREATE INDEX idx_content_status ON content (status);
CREATE INDEX idx_content_workspace_status ON content (workspace_id, status);
CREATE INDEX idx_content_workspace_created ON content (workspace_id, created_at DESC, id DESC);
CREATE INDEX idx_content_search ON content
    USING GIN (to_tsvector('english', coalesce(title, '') || ' ' || original_input));

CREATE TABLE content_variations (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    content_id UUID NOT NULL REFERENCES content(id) ON DELETE CASCADE,
    platform   VARCHAR(50),
    body       TEXT NOT NULL CONSTRAINT content_variations_body_not_empty CHECK (btrim(body) <> ''),
    metadata   JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_variations_content ON content_variations (content_id, created_at, id);

CREATE TABLE audience_segments (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL CHECK (name <> ''),
    description  TEXT,
    attributes   JSONB NOT NULL DEFAULT '{}'::jsonb,
    embedding_id VARCHAR(255),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE social_accounts (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id     UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    platform         VARCHAR(50) NOT NULL,
    account_name     VARCHAR(255) NOT NULL,
    external_id      TEXT,
    base_url         TEXT,
    access_token     TEXT NOT NULL, -- sealed by the vault, never plaintext
    refresh_token    TEXT,          -- sealed by the vault, never plaintext
    token_expires_at TIMESTAMPTZ,
    status           VARCHAR(20) NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'needs_reauth')),
    connected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, platform, account_name)
);

CREATE TABLE scheduled_posts (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id         UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    content_variation_id UUID NOT NULL REFERENCES content_variations(id) ON DELETE CASCADE,
    account_id           UUID NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
    platform             VARCHAR(50) NOT NULL,
    scheduled_time       TIMESTAMPTZ NOT NULL,
    timezone             TEXT NOT NULL DEFAULT 'UTC',
    status               VARCHAR(20) NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'publishing', 'published', 'failed',
                                           'unconfirmed', 'cancelled')),
    attempts             INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    receipts             JSONB NOT NULL DEFAULT '[]'::jsonb,
    platform_post_id     VARCHAR(255),
    url                  TEXT,
    error_message        TEXT,
    lease_owner          TEXT,
    lease_expires_at     TIMESTAMPTZ,
    attempt_started_at   TIMESTAMPTZ,
    published_at         TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_scheduled_time ON scheduled_posts (scheduled_time);
CREATE INDEX idx_scheduled_status ON scheduled_posts (status);
CREATE INDEX idx_scheduled_posts_time ON scheduled_posts (scheduled_time) WHERE status = 'pending';
CREATE INDEX idx_scheduled_posts_lease ON scheduled_posts (lease_expires_at)
    WHERE status = 'publishing';
CREATE INDEX idx_scheduled_workspace_time ON scheduled_posts (workspace_id, scheduled_time);

CREATE TABLE analytics (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    scheduled_post_id UUID NOT NULL UNIQUE REFERENCES scheduled_posts(id) ON DELETE CASCADE,
    platform          VARCHAR(50) NOT NULL,
    impressions       BIGINT,
    likes             BIGINT NOT NULL DEFAULT 0,
    comments          BIGINT NOT NULL DEFAULT 0,
    shares            BIGINT NOT NULL DEFAULT 0,
    clicks            BIGINT,
    engagement_rate   DOUBLE PRECISION,
    predicted_score   INTEGER CHECK (predicted_score BETWEEN 0 AND 100),
    fetched_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_analytics_post ON analytics (scheduled_post_id);
CREATE INDEX idx_analytics_post_platform ON analytics (scheduled_post_id, platform);

CREATE TABLE stored_models (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   UUID REFERENCES workspaces(id) ON DELETE CASCADE,
    name           VARCHAR(100) NOT NULL,
    version        BIGINT NOT NULL CHECK (version > 0),
    feature_schema TEXT NOT NULL,
    payload        TEXT NOT NULL,
    metrics        JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT stored_models_version_unique UNIQUE NULLS NOT DISTINCT (workspace_id, name, version)
);
