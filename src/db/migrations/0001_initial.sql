-- 0001_initial: the seed's §3.2 schema (exactly: names, types, nullability, defaults, FKs, indexes),
-- the Better Auth tables of §6.2, legacy_id columns (§9.3 option 2), updated_at triggers, and RLS (§3.3)
-- made effective: FORCE ROW LEVEL SECURITY plus an application role that owns nothing and cannot bypass it.
--
-- Constraint names follow what drizzle-kit generates for the seed's schema.ts, so `drizzle-kit push`
-- against this database sees no difference. Never edit this file once released: add a new migration.

-- ---------------------------------------------------------------------------------------------------------
-- Roles. The migrating user (DIRECT_URL) owns every table. Servers connect as a LOGIN role that is a member
-- of kianax_app: no ownership, no BYPASSRLS, so every query is filtered by the policies below.
-- ---------------------------------------------------------------------------------------------------------
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kianax_app') THEN
    CREATE ROLE kianax_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Enums (seed §3.2)
-- ---------------------------------------------------------------------------------------------------------
CREATE TYPE routine_status AS ENUM ('draft', 'active', 'paused', 'archived');
CREATE TYPE trigger_type AS ENUM ('manual', 'cron', 'webhook', 'event');
CREATE TYPE execution_status AS ENUM ('pending', 'running', 'completed', 'failed', 'cancelled', 'timeout');
CREATE TYPE execution_trigger_type AS ENUM ('manual', 'scheduled', 'webhook', 'event');
CREATE TYPE theme AS ENUM ('light', 'dark', 'system');

-- ---------------------------------------------------------------------------------------------------------
-- routines
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE routines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  user_id text NOT NULL,
  name varchar(255) NOT NULL,
  description text,
  status routine_status DEFAULT 'draft' NOT NULL,
  tags jsonb DEFAULT '[]'::jsonb,
  version integer DEFAULT 1 NOT NULL,
  trigger_type trigger_type DEFAULT 'manual' NOT NULL,
  trigger_config jsonb,
  nodes jsonb DEFAULT '[]'::jsonb NOT NULL,
  connections jsonb DEFAULT '[]'::jsonb NOT NULL,
  variables jsonb DEFAULT '[]'::jsonb,
  last_executed_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT routines_legacy_id_unique UNIQUE (legacy_id)
);
CREATE INDEX routines_user_idx ON routines USING btree (user_id);
CREATE INDEX routines_status_idx ON routines USING btree (status);
CREATE INDEX routines_user_status_idx ON routines USING btree (user_id, status);
CREATE INDEX routines_trigger_type_idx ON routines USING btree (trigger_type, status);

-- ---------------------------------------------------------------------------------------------------------
-- routine_executions
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE routine_executions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  routine_id uuid NOT NULL,
  user_id text NOT NULL,
  workflow_id text NOT NULL,
  run_id text NOT NULL,
  status execution_status DEFAULT 'pending' NOT NULL,
  trigger_type execution_trigger_type DEFAULT 'manual' NOT NULL,
  trigger_data jsonb,
  execution_path jsonb DEFAULT '[]'::jsonb,
  node_states jsonb DEFAULT '[]'::jsonb NOT NULL,
  error jsonb,
  started_at timestamp with time zone,
  completed_at timestamp with time zone,
  duration integer,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT routine_executions_legacy_id_unique UNIQUE (legacy_id),
  CONSTRAINT routine_executions_routine_id_routines_id_fk FOREIGN KEY (routine_id)
    REFERENCES routines (id) ON DELETE CASCADE ON UPDATE NO ACTION
);
CREATE INDEX executions_routine_idx ON routine_executions USING btree (routine_id);
CREATE INDEX executions_user_idx ON routine_executions USING btree (user_id);
CREATE INDEX executions_status_idx ON routine_executions USING btree (status);
CREATE INDEX executions_workflow_id_idx ON routine_executions USING btree (workflow_id);
CREATE INDEX executions_created_at_idx ON routine_executions USING btree (created_at);

-- ---------------------------------------------------------------------------------------------------------
-- user_credentials. `data` is text as in the seed; we store the vault's AES-256-GCM envelope in it, never
-- plaintext (the seed's comment "Encrypted JSON" was not true upstream).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE user_credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  user_id text NOT NULL,
  type_id varchar(100) NOT NULL,
  name varchar(255) NOT NULL,
  data text NOT NULL,
  metadata jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT user_credentials_legacy_id_unique UNIQUE (legacy_id)
);
CREATE INDEX credentials_user_idx ON user_credentials USING btree (user_id);
CREATE INDEX credentials_user_type_idx ON user_credentials USING btree (user_id, type_id);

-- ---------------------------------------------------------------------------------------------------------
-- user_settings
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE user_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  user_id text NOT NULL,
  theme theme DEFAULT 'system',
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT user_settings_user_id_unique UNIQUE (user_id),
  CONSTRAINT user_settings_legacy_id_unique UNIQUE (legacy_id)
);
CREATE INDEX settings_user_idx ON user_settings USING btree (user_id);

-- ---------------------------------------------------------------------------------------------------------
-- Better Auth tables (seed §6.2: plural, snake_case; columns as Better Auth's Drizzle generator names them,
-- see wire-protocols §2.5). Timestamps are timestamptz so no session expiry depends on a server's TimeZone.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE users (
  id text PRIMARY KEY NOT NULL,
  name text,
  email text NOT NULL,
  email_verified boolean DEFAULT false NOT NULL,
  image text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT users_email_unique UNIQUE (email),
  CONSTRAINT users_legacy_id_unique UNIQUE (legacy_id)
);

CREATE TABLE sessions (
  id text PRIMARY KEY NOT NULL,
  user_id text NOT NULL,
  token text NOT NULL,
  expires_at timestamp with time zone NOT NULL,
  ip_address text,
  user_agent text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT sessions_token_unique UNIQUE (token),
  CONSTRAINT sessions_legacy_id_unique UNIQUE (legacy_id),
  CONSTRAINT sessions_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX "session_userId_idx" ON sessions USING btree (user_id);

CREATE TABLE accounts (
  id text PRIMARY KEY NOT NULL,
  user_id text NOT NULL,
  account_id text NOT NULL,
  provider_id text NOT NULL,
  access_token text,
  refresh_token text,
  access_token_expires_at timestamp with time zone,
  refresh_token_expires_at timestamp with time zone,
  scope text,
  id_token text,
  password text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  legacy_id text,
  CONSTRAINT accounts_legacy_id_unique UNIQUE (legacy_id),
  CONSTRAINT accounts_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX "account_userId_idx" ON accounts USING btree (user_id);
CREATE UNIQUE INDEX accounts_provider_account_idx ON accounts USING btree (provider_id, account_id);

CREATE TABLE verifications (
  id text PRIMARY KEY NOT NULL,
  identifier text NOT NULL,
  value text NOT NULL,
  expires_at timestamp with time zone NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE INDEX verification_identifier_idx ON verifications USING btree (identifier);

-- ---------------------------------------------------------------------------------------------------------
-- updated_at maintenance: the seed's repositories set updatedAt by hand; a trigger makes it impossible to
-- forget (and makes imports that set updated_at explicitly on INSERT keep their value).
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION kianax_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER routines_touch_updated_at BEFORE UPDATE ON routines
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER user_credentials_touch_updated_at BEFORE UPDATE ON user_credentials
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER user_settings_touch_updated_at BEFORE UPDATE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER sessions_touch_updated_at BEFORE UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER accounts_touch_updated_at BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();
CREATE TRIGGER verifications_touch_updated_at BEFORE UPDATE ON verifications
  FOR EACH ROW EXECUTE FUNCTION kianax_touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------
-- Row-level security (seed §3.3, verbatim policies) + FORCE, so even a connection as the table owner is
-- filtered. A policy with only USING also serves as WITH CHECK, so a user cannot insert or move a row into
-- another user's space. With no app.current_user_id set, current_setting(..., true) is NULL and no row matches.
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE routines ENABLE ROW LEVEL SECURITY;
ALTER TABLE routine_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE routines FORCE ROW LEVEL SECURITY;
ALTER TABLE routine_executions FORCE ROW LEVEL SECURITY;
ALTER TABLE user_credentials FORCE ROW LEVEL SECURITY;
ALTER TABLE user_settings FORCE ROW LEVEL SECURITY;

CREATE POLICY routines_user_isolation ON routines
  USING (user_id = current_setting('app.current_user_id', true));
CREATE POLICY executions_user_isolation ON routine_executions
  USING (user_id = current_setting('app.current_user_id', true));
CREATE POLICY credentials_user_isolation ON user_credentials
  USING (user_id = current_setting('app.current_user_id', true));
CREATE POLICY settings_user_isolation ON user_settings
  USING (user_id = current_setting('app.current_user_id', true));

-- Auth tables hold user-owned rows too. Sign-in and session lookup (which happen before a user is known)
-- go through narrowly scoped SECURITY DEFINER functions added with the auth endpoints, not through a bypass.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self_isolation ON users
  USING (id = current_setting('app.current_user_id', true));
CREATE POLICY sessions_user_isolation ON sessions
  USING (user_id = current_setting('app.current_user_id', true));
CREATE POLICY accounts_user_isolation ON accounts
  USING (user_id = current_setting('app.current_user_id', true));

-- ---------------------------------------------------------------------------------------------------------
-- Privileges of the application role: data only, never DDL, never ownership.
-- ---------------------------------------------------------------------------------------------------------
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO kianax_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  routines, routine_executions, user_credentials, user_settings,
  users, sessions, accounts, verifications
TO kianax_app;
