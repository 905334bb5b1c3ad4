import { defineConfig } from "drizzle-kit";

export default defineConfig({ schema: "./schema.ts", out: process.env.DRIZZLE_OUT ?? "./out", dialect: "postgresql" });
