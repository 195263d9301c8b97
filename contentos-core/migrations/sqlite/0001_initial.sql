-- ContentOS embedded schema (SQLite). Mirrors migrations/postgres/0001_initial.sql:
-- ids are hyphenated lowercase UUID text, instants are fixed-width UTC RFC 3339 text
-- ("2026-01-02T03:04:05.000006Z") so that text order is time order, JSON is text.

CREATE TABLE users (
    id                TEXT PRIMARY KEY NOT NULL,
    email             TEXT NOT NULL CHECK (length(email) BETWEEN 1 AND 255),
    password_hash     TEXT,
    oauth_provider    TEXT,
    oauth_id          TEXT,
    subscription_tier TEXT NOT NULL DEFAULT 'free'
                      CHECK (subscription_tier IN ('free', 'pro', 'enterprise')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_users_email ON users(lower(email));

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY NOT NULL,
    owner_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    brand_voice TEXT NOT NULL DEFAULT '{}',
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    created_at  TEXT NOT NULL
);

CREATE TABLE workspace_members (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT 'member'
                 CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX idx_members_user ON workspace_members(user_id);

-- `seq` is a stable integer key for the FTS5 index; `id` is the public UUID.
CREATE TABLE content (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    created_by     TEXT NOT NULL REFERENCES users(id),
    title          TEXT CHECK (title IS NULL OR length(title) <= 500),
    original_input TEXT NOT NULL,
    content_type   TEXT NOT NULL CHECK (content_type IN ('blog', 'social', 'email')),
    format         TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html', 'plain')),
    metadata       TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX idx_content_workspace ON content(workspace_id);
CREATE INDEX idx_content_status ON content(status);
CREATE INDEX idx_content_workspace_status ON content(workspace_id, status);
CREATE INDEX idx_content_workspace_created ON content(workspace_id, created_at DESC, id DESC);

-- Full-text index over title + original input, kept in sync by triggers (also on cascades).
CREATE VIRTUAL TABLE content_fts USING fts5(title, original_input, tokenize = 'porter unicode61');

CREATE TRIGGER content_fts_insert AFTER INSERT ON content BEGIN
    INSERT INTO content_fts(rowid, title, original_input)
    VALUES (new.seq, coalesce(new.title, ''), new.original_input);
END;

CREATE TRIGGER content_fts_update AFTER UPDATE OF title, original_input ON content BEGIN
    DELETE FROM content_fts WHERE rowid = old.seq;
    INSERT INTO content_fts(rowid, title, original_input)
    VALUES (new.seq, coalesce(new.title, ''), new.original_input);
END;

CREATE TRIGGER content_fts_delete AFTER DELETE ON content BEGIN
    DELETE FROM content_fts WHERE rowid = old.seq;
END;

CREATE TABLE content_variations (
    id         TEXT PRIMARY KEY NOT NULL,
    content_id TEXT NOT NULL REFERENCES content(id) ON DELETE CASCADE,
    platform   TEXT,
    body       TEXT NOT NULL CHECK (length(trim(body)) > 0),
    metadata   TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX idx_variations_content ON content_variations(content_id, created_at, id);

CREATE TABLE audience_segments (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    description  TEXT,
    attributes   TEXT NOT NULL DEFAULT '{}',
    embedding_id TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE social_accounts (
    id               TEXT PRIMARY KEY NOT NULL,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    platform         TEXT NOT NULL,
    account_name     TEXT NOT NULL,
    external_id      TEXT,
    base_url         TEXT,
    access_token     TEXT NOT NULL,
    refresh_token    TEXT,
    token_expires_at TEXT,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth')),
    connected_at     TEXT NOT NULL,
    UNIQUE (workspace_id, platform, account_name)
);

CREATE TABLE scheduled_posts (
    id                   TEXT PRIMARY KEY NOT NULL,
    workspace_id         TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    content_variation_id TEXT NOT NULL REFERENCES content_variations(id) ON DELETE CASCADE,
    account_id           TEXT NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
    platform             TEXT NOT NULL,
    scheduled_time       TEXT NOT NULL,
    timezone             TEXT NOT NULL DEFAULT 'UTC',
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'publishing', 'published', 'failed',
                                           'unconfirmed', 'cancelled')),
    attempts             INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    receipts             TEXT NOT NULL DEFAULT '[]',
    platform_post_id     TEXT,
    url                  TEXT,
    error_message        TEXT,
    lease_owner          TEXT,
    lease_expires_at     TEXT,
    attempt_started_at   TEXT,
    published_at         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX idx_scheduled_time ON scheduled_posts(scheduled_time);
CREATE INDEX idx_scheduled_status ON scheduled_posts(status);
CREATE INDEX idx_scheduled_posts_time ON scheduled_posts(scheduled_time) WHERE status = 'pending';
CREATE INDEX idx_scheduled_posts_lease ON scheduled_posts(lease_expires_at) WHERE status = 'publishing';
CREATE INDEX idx_scheduled_workspace_time ON scheduled_posts(workspace_id, scheduled_time);

CREATE TABLE analytics (
    id                TEXT PRIMARY KEY NOT NULL,
    scheduled_post_id TEXT NOT NULL UNIQUE REFERENCES scheduled_posts(id) ON DELETE CASCADE,
    platform          TEXT NOT NULL,
    impressions       INTEGER,
    likes             INTEGER NOT NULL DEFAULT 0,
    comments          INTEGER NOT NULL DEFAULT 0,
    shares            INTEGER NOT NULL DEFAULT 0,
    clicks            INTEGER,
    engagement_rate   REAL,
    predicted_score   INTEGER CHECK (predicted_score IS NULL OR predicted_score BETWEEN 0 AND 100),
    fetched_at        TEXT NOT NULL
);
CREATE INDEX idx_analytics_post_platform ON analytics(scheduled_post_id, platform);

CREATE TABLE stored_models (
    id             TEXT PRIMARY KEY NOT NULL,
    workspace_id   TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version > 0),
    feature_schema TEXT NOT NULL,
    payload        TEXT NOT NULL,
    metrics        TEXT NOT NULL DEFAULT '{}',
    created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_stored_models_version
    ON stored_models(coalesce(workspace_id, ''), name, version);
