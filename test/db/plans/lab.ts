/**
 * A private schema on the test server and helpers to run EXPLAIN in both formats.
 *
 * The JSON and text plans PostgreSQL gives for two runs of a query differ in their times,
 * so to compare our two parsers on *one* execution we load auto_explain with
 * log_level = notice: while EXPLAIN (FORMAT JSON) runs the statement, auto_explain prints
 * the text-format plan of that same execution, from the same instrumentation, as a NOTICE.
 */
import { Client } from 'pg';

/** Read when used, so a runner can set it after import. */
export function databaseUrl(): string {
  return process.env.SQLPERF_TEST_DATABASE_URL ?? '';
}

export interface ExplainRun {
  /** EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) output, as node-postgres parsed it. */
  json: unknown;
  /** The text-format plan of the same execution (auto_explain's notice), or null without auto_explain. */
  sameRunText: string | null;
}

export class PlanLab {
  private constructor(
    readonly client: Client,
    readonly schema: string,
    readonly autoExplain: boolean,
  ) {}

  static async open(prefix: string): Promise<PlanLab> {
    const client = new Client({ connectionString: databaseUrl(), application_name: 'sqlperf-tests' });
    await client.connect();
    const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
    await client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`);
    await client.query(`SET search_path = ${client.escapeIdentifier(schema)}`);
    // JIT would add compile time to some nodes' figures and make runs less comparable.
    await client.query('SET jit = off');
    let autoExplain = true;
    try {
      await client.query("LOAD 'auto_explain'");
      for (const [k, v] of Object.entries({
        log_min_duration: '0', log_analyze: 'on', log_buffers: 'on', log_verbose: 'on', log_timing: 'on',
        log_format: 'text', log_level: 'notice', log_nested_statements: 'off',
      })) {
        await client.query(`SET auto_explain.${k} = ${client.escapeLiteral(v)}`);
      }
    } catch {
      autoExplain = false;
    }
    return new PlanLab(client, schema, autoExplain);
  }

  async run(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  /** EXPLAIN ANALYZE in JSON, with `settings` applied for this statement only. */
  async explainJson(sql: string, settings: Record<string, string> = {}): Promise<ExplainRun> {
    const notices: string[] = [];
    const onNotice = (msg: { message?: string }) => {
      if (msg.message && msg.message.includes('plan:')) notices.push(msg.message);
    };
    this.client.on('notice', onNotice);
    try {
      const res = await this.inTransaction(settings, `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) ${sql}`);
      return { json: res.rows[0]['QUERY PLAN'], sameRunText: notices.length ? notices[notices.length - 1] : null };
    } finally {
      this.client.off('notice', onNotice);
    }
  }

  /** EXPLAIN ANALYZE in the text format: the rows as node-postgres returns them (one line each). */
  async explainTextRows(sql: string, settings: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
    const res = await this.inTransaction(settings, `EXPLAIN (ANALYZE, BUFFERS, VERBOSE) ${sql}`);
    return res.rows as Array<Record<string, unknown>>;
  }

  /** Plain EXPLAIN (no execution), JSON. */
  async explainCosts(sql: string, settings: Record<string, string> = {}): Promise<unknown> {
    const res = await this.inTransaction(settings, `EXPLAIN (FORMAT JSON) ${sql}`);
    return res.rows[0]['QUERY PLAN'];
  }

  private async inTransaction(settings: Record<string, string>, statement: string) {
    await this.client.query('BEGIN');
    try {
      for (const [k, v] of Object.entries(settings)) {
        await this.client.query(`SET LOCAL ${k} = ${this.client.escapeLiteral(v)}`);
      }
      const res = await this.client.query(statement);
      await this.client.query('COMMIT');
      return res;
    } catch (e) {
      await this.client.query('ROLLBACK');
      throw e;
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.query(`DROP SCHEMA IF EXISTS ${this.client.escapeIdentifier(this.schema)} CASCADE`);
    } finally {
      await this.client.end();
    }
  }
}

/** Forces a parallel plan on a small table (DESIGN: tables of ~100k rows at most). */
export const PARALLEL_SETTINGS = {
  parallel_setup_cost: '0',
  parallel_tuple_cost: '0',
  min_parallel_table_scan_size: '0',
  max_parallel_workers_per_gather: '2',
};
