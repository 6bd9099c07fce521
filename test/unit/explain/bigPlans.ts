/** Generators of very large plans for the robustness tests. */

/**
 * A ~50 MB plan, deep and wide: a chain of `depth` Limit nodes over an Append with `width`
 * members; every 100th member is a CTE Scan of one of many CTEs, and the scans' filters use
 * an InitPlan's parameter. Built as a string: JSON.stringify would recurse.
 */
export function bigJsonPlan(depth: number, width: number): string {
  const parts: string[] = ['[{"Plan":'];
  const total = depth + width;
  for (let i = 0; i < depth; i++) {
    const t = (total - i) / 1000;
    parts.push(`{"Node Type":"Limit","Parent Relationship":"Outer","Startup Cost":0.00,"Total Cost":${total - i}.00,"Plan Rows":${width},"Plan Width":4,"Actual Startup Time":0.001,"Actual Total Time":${t.toFixed(3)},"Actual Rows":${width},"Actual Loops":1,"Shared Hit Blocks":${width},"Shared Read Blocks":0,"Temp Read Blocks":0,"Temp Written Blocks":0,"Plans":[`);
  }
  parts.push(`{"Node Type":"Append","Parent Relationship":"Outer","Startup Cost":0.00,"Total Cost":${width}.00,"Plan Rows":${width},"Plan Width":4,"Actual Startup Time":0.001,"Actual Total Time":${(width / 1000).toFixed(3)},"Actual Rows":${width},"Actual Loops":1,"Plans":[`);
  parts.push('{"Node Type":"Result","Parent Relationship":"InitPlan","Subplan Name":"InitPlan 1 (returns $0)","Actual Startup Time":0.001,"Actual Total Time":0.004,"Actual Rows":1,"Actual Loops":1}');
  for (let i = 0; i < width; i++) {
    if (i % 100 === 0) {
      parts.push(`,{"Node Type":"Seq Scan","Parent Relationship":"InitPlan","Subplan Name":"CTE c${i}","Relation Name":"cte_source_${i}","Alias":"cte_source_${i}","Startup Cost":0.00,"Total Cost":1.00,"Plan Rows":1,"Plan Width":4,"Actual Startup Time":0.000,"Actual Total Time":0.0004,"Actual Rows":1,"Actual Loops":1,"Shared Hit Blocks":1,"Shared Read Blocks":0,"Temp Read Blocks":0,"Temp Written Blocks":0}`);
      parts.push(`,{"Node Type":"CTE Scan","Parent Relationship":"Member","CTE Name":"c${i}","Alias":"c${i}","Startup Cost":0.00,"Total Cost":1.00,"Plan Rows":1,"Plan Width":4,"Actual Startup Time":0.000,"Actual Total Time":0.0008,"Actual Rows":1,"Actual Loops":1,"Filter":"(x > $0)","Shared Hit Blocks":1,"Shared Read Blocks":0,"Temp Read Blocks":0,"Temp Written Blocks":0}`);
    } else {
      parts.push(`,{"Node Type":"Seq Scan","Parent Relationship":"Member","Parallel Aware":false,"Async Capable":false,"Relation Name":"partition_${i}","Schema":"public","Alias":"partition_${i}","Startup Cost":0.00,"Total Cost":1.00,"Plan Rows":1,"Plan Width":4,"Actual Startup Time":0.000,"Actual Total Time":0.0008,"Actual Rows":1,"Actual Loops":1,"Output":["partition_${i}.id","partition_${i}.payload"],"Filter":"(partition_${i}.payload IS NOT NULL)","Rows Removed by Filter":0,"Shared Hit Blocks":1,"Shared Read Blocks":0,"Temp Read Blocks":0,"Temp Written Blocks":0}`);
    }
  }
  parts.push(']}');
  for (let i = 0; i < depth; i++) parts.push(']}');
  parts.push(`,"Planning Time":1.000,"Execution Time":${((total + 1) / 1000).toFixed(3)}}]`);
  return parts.join('');
}

/**
 * The same idea in the text format. Indentation makes depth cost quadratic space, so the
 * wide part hangs near the root and the deep chain (of `depth` Limits) is its last member.
 */
export function bigTextPlan(depth: number, width: number): string {
  const lines: string[] = [];
  const total = depth + width;
  lines.push(` Append  (cost=0.00..${total}.00 rows=${width} width=4) (actual time=0.001..${(total / 1000).toFixed(3)} rows=${width} loops=1)`);
  for (let i = 0; i < width; i++) {
    lines.push(`   ->  Seq Scan on public.partition_${i}  (cost=0.00..1.00 rows=1 width=4) (actual time=0.000..0.001 rows=1 loops=1)`);
    lines.push(`         Output: partition_${i}.id, partition_${i}.payload`);
    lines.push(`         Filter: (partition_${i}.payload IS NOT NULL)`);
    lines.push('         Buffers: shared hit=1');
  }
  for (let i = 0; i < depth; i++) {
    lines.push(`${' '.repeat(6 * i + 3)}->  Limit  (cost=0.00..${depth - i}.00 rows=1 width=4) (actual time=0.001..${((depth - i) / 1000).toFixed(3)} rows=1 loops=1)`);
  }
  lines.push(' Planning Time: 1.000 ms', ` Execution Time: ${((total + 1) / 1000).toFixed(3)} ms`);
  return lines.join('\n');
}
