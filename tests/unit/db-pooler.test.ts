import { describe, expect, it } from "vitest";
import { isTransactionPooler } from "@/lib/db/open";

describe("isTransactionPooler", () => {
  it("recognizes Supabase's transaction pooler by its port, and any URL that asks for prepare=false", () => {
    expect(isTransactionPooler("postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")).toBe(true);
    expect(isTransactionPooler("postgres://u:pw@db.example.com:6543")).toBe(true);
    expect(isTransactionPooler("postgres://u:pw@db.example.com:6543?sslmode=require")).toBe(true);
    // PgBouncer in transaction mode elsewhere: postgres.js's own spelling.
    expect(isTransactionPooler("postgres://u:pw@pgbouncer:6432/app?prepare=false")).toBe(true);
    expect(isTransactionPooler("postgres://u:pw@pgbouncer:6432/app?sslmode=require&prepare=disable")).toBe(true);
  });

  it("leaves direct connections and the session pooler (5432) preparing statements", () => {
    expect(isTransactionPooler("postgresql://postgres:pw@db.abc.supabase.co:5432/postgres")).toBe(false);
    expect(isTransactionPooler("postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(false);
    expect(isTransactionPooler("postgres://postgres@127.0.0.1/test")).toBe(false);
    // A port that merely contains 6543, or the number elsewhere in the URL.
    expect(isTransactionPooler("postgres://u:pw@db.example.com:16543/app")).toBe(false);
    expect(isTransactionPooler("postgres://u:6543@db.example.com:5432/app")).toBe(false);
    expect(isTransactionPooler("postgres://u:pw@db.example.com:5432/app?prepare=true")).toBe(false);
    expect(isTransactionPooler("not a url")).toBe(false);
  });
});
