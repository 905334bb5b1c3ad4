// The seed plan's §3.2 schema.ts, verbatim: our database must look exactly like what Drizzle generates from it.
import {
  pgTable,
  uuid,
  text,
  varchar,
  timestamp,
  integer,
  jsonb,
  index,
  pgEnum,
} from "drizzle-orm/pg-core";

// ============================================================================
// ENUMS
// ============================================================================

export const routineStatusEnum = pgEnum("routine_status", [
  "draft",
  "active",
  "paused",
  "archived",
]);

export const triggerTypeEnum = pgEnum("trigger_type", [
  "manual",
  "cron",
  "webhook",
  "event",
]);

export const executionStatusEnum = pgEnum("execution_status", [
  "pending",
  "running",
  "completed",
  "failed",
  "cancelled",
  "timeout",
]);

export const executionTriggerTypeEnum = pgEnum("execution_trigger_type", [
  "manual",
  "scheduled",
  "webhook",
  "event",
]);

export const themeEnum = pgEnum("theme", ["light", "dark", "system"]);

// ============================================================================
// ROUTINES
// ============================================================================

export const routines = pgTable(
  "routines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),

    // Metadata
    name: varchar("name", { length: 255 }).notNull(),
    description: text("description"),
    status: routineStatusEnum("status").notNull().default("draft"),
    tags: jsonb("tags").$type<string[]>().default([]),
    version: integer("version").notNull().default(1),

    // Trigger
    triggerType: triggerTypeEnum("trigger_type").notNull().default("manual"),
    triggerConfig: jsonb("trigger_config").$type<Record<string, unknown>>(),

    // DAG Structure (JSONB for flexibility)
    nodes: jsonb("nodes")
      .$type<
        Array<{
          id: string;
          pluginId: string;
          label: string;
          position: { x: number; y: number };
          config?: Record<string, unknown>;
          credentialMappings?: Record<string, string>;
        }>
      >()
      .notNull()
      .default([]),

    connections: jsonb("connections")
      .$type<
        Array<{
          id: string;
          sourceNodeId: string;
          targetNodeId: string;
          sourceHandle?: string;
          targetHandle?: string;
        }>
      >()
      .notNull()
      .default([]),

    // Variables
    variables: jsonb("variables")
      .$type<
        Array<{
          id: string;
          name: string;
          type: "string" | "number" | "boolean" | "json";
          value: unknown;
          description?: string;
        }>
      >()
      .default([]),

    // Execution tracking
    lastExecutedAt: timestamp("last_executed_at", { withTimezone: true }),

    // Timestamps
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => ({
    userIdx: index("routines_user_idx").on(table.userId),
    statusIdx: index("routines_status_idx").on(table.status),
    userStatusIdx: index("routines_user_status_idx").on(
      table.userId,
      table.status
    ),
    triggerTypeIdx: index("routines_trigger_type_idx").on(
      table.triggerType,
      table.status
    ),
  })
);

// ============================================================================
// ROUTINE EXECUTIONS
// ============================================================================

export const routineExecutions = pgTable(
  "routine_executions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    routineId: uuid("routine_id")
      .notNull()
      .references(() => routines.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),

    // Temporal identifiers
    workflowId: text("workflow_id").notNull(),
    runId: text("run_id").notNull(),

    // Status
    status: executionStatusEnum("status").notNull().default("pending"),
    triggerType: executionTriggerTypeEnum("trigger_type")
      .notNull()
      .default("manual"),
    triggerData: jsonb("trigger_data").$type<Record<string, unknown>>(),

    // Execution path (ordered node IDs for conditional branching)
    executionPath: jsonb("execution_path").$type<string[]>().default([]),

    // Node-level execution states (JSONB array)
    nodeStates: jsonb("node_states")
      .$type<
        Array<{
          nodeId: string;
          status: string;
          input?: unknown;
          output?: unknown;
          error?: { message: string; stack?: string };
          startedAt?: number;
          completedAt?: number;
          duration?: number;
        }>
      >()
      .notNull()
      .default([]),

    // Workflow-level error
    error: jsonb("error").$type<{ message: string; stack?: string }>(),

    // Timing
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    duration: integer("duration"), // milliseconds

    // Timestamps
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => ({
    routineIdx: index("executions_routine_idx").on(table.routineId),
    userIdx: index("executions_user_idx").on(table.userId),
    statusIdx: index("executions_status_idx").on(table.status),
    workflowIdIdx: index("executions_workflow_id_idx").on(table.workflowId),
    createdAtIdx: index("executions_created_at_idx").on(table.createdAt),
  })
);

// ============================================================================
// USER CREDENTIALS
// ============================================================================

export const userCredentials = pgTable(
  "user_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),
    typeId: varchar("type_id", { length: 100 }).notNull(), // e.g., "openai-api"
    name: varchar("name", { length: 255 }).notNull(),
    data: text("data").notNull(), // Encrypted JSON
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),

    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => ({
    userIdx: index("credentials_user_idx").on(table.userId),
    userTypeIdx: index("credentials_user_type_idx").on(
      table.userId,
      table.typeId
    ),
  })
);

// ============================================================================
// USER SETTINGS
// ============================================================================

export const userSettings = pgTable(
  "user_settings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull().unique(),
    theme: themeEnum("theme").default("system"),

    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => ({
    userIdx: index("settings_user_idx").on(table.userId),
  })
);

// ============================================================================
// TYPE EXPORTS
// ============================================================================

export type Routine = typeof routines.$inferSelect;
export type NewRoutine = typeof routines.$inferInsert;

export type RoutineExecution = typeof routineExecutions.$inferSelect;
export type NewRoutineExecution = typeof routineExecutions.$inferInsert;

export type UserCredential = typeof userCredentials.$inferSelect;
export type NewUserCredential = typeof userCredentials.$inferInsert;

export type UserSettings = typeof userSettings.$inferSelect;
export type NewUserSettings = typeof userSettings.$inferInsert;
