import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One scrape, parsed. */
export type Families = ReturnType<typeof parsePrometheusTextFormat>;

/**
 * The metric families of a scrape. The parser folds a histogram's series into one sample with
 * its buckets and drops their labels (it reads unlabelled histograms only), so each histogram's
 * `_bucket`, `_count` and `_sum` series are also parsed on their own, without the histogram's
 * metadata: families `<name>_bucket` (with `le`), `<name>_count`, `<name>_sum`, labels kept.
 */
function parse(text: string): Families {
  const families = parsePrometheusTextFormat(text);
  const histograms = new Set(families.filter((f) => f.type === 'HISTOGRAM').map((f) => f.name));
  const bare = text
    .split('\n')
    .filter((line) => !/^# (HELP|TYPE) (\S+)/.test(line) || !histograms.has(line.split(' ')[2] ?? ''))
    .join('\n');
  const series = parsePrometheusTextFormat(bare).filter((f) => histograms.has(f.name.replace(/_(bucket|count|sum)$/, '')) && !histograms.has(f.name));
  return [...families.filter((f) => !histograms.has(f.name)), ...families.filter((f) => histograms.has(f.name)), ...series];
}

/** `GET <url>` with the key (if any): the status, and the metric families when it answered 200. */
export async function scrape(url: string, key?: string): Promise<{ status: number; contentType: string | null; families: Families }> {
  const res = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), families: res.status === 200 ? parse(text) : [] };
}

/**
 * The sum over the series of `name` whose labels include `labels` (a histogram's: its count).
 * Undefined when no series matches.
 */
export function sampleOf(families: Families, name: string, labels: Record<string, string> = {}): number | undefined {
  // A histogram's series come apart per label set (`_bucket`, `_sum`, `_count` of one, then of the next): one family each time.
  const named = families.filter((f) => f.name === name);
  if (named[0]?.type === 'HISTOGRAM') return sampleOf(families, `${name}_count`, labels);
  const matching = named.flatMap((f) => f.metrics).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (matching.length === 0) return undefined;
  return matching.reduce((n, m) => n + Number(m.value), 0);
}
