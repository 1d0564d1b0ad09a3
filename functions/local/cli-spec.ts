// Every `newsalert` command and subcommand in one tree: its usage lines, what it does and its options. `--help` on any
// of them prints its node (exit 0), a usage error prints the node it happened in (exit 2), and the bash and zsh
// completion scripts are generated from the same tree, so help, errors and completion cannot disagree.

export interface OptionSpec {
  /** The flag as typed, with its value placeholder: `--country CC`. */
  flag: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage lines without the leading `newsalert`. */
  usage: string[];
  options?: OptionSpec[];
  subcommands?: CommandSpec[];
  /** Words that complete the first positional (a subcommand's fixed argument values). */
  values?: string[];
}

const HELP: OptionSpec = { flag: '-h, --help', description: 'show this help and exit' };

/** The options every client of the API takes. */
const API_OPTIONS: OptionSpec[] = [
  { flag: '--api URL', description: 'the API to call (default $NEWSALERT_API, else http://127.0.0.1:8787)' },
  { flag: '--api-key KEY', description: 'API key (default $NEWSALERT_API_KEY, else .newsalert/admin-key of a local serve)' },
  { flag: '--json', description: "print the API's answer as JSON (the default; an empty answer prints {\"status\":N})" },
];

function apiCommand(name: string, summary: string, usage: string, options: OptionSpec[] = []): CommandSpec {
  return { name, summary, usage: [usage], options: [...options, ...API_OPTIONS] };
}

const SUBSCRIPTION_FIELDS: OptionSpec[] = [
  { flag: '--webhook URL', description: 'deliver as signed webhooks (Standard Webhooks) to URL' },
  { flag: '--sqs QUEUE_URL', description: 'deliver to an SQS queue' },
  { flag: '--slack URL', description: 'deliver to a Slack incoming webhook' },
  { flag: '--sns', description: 'deliver to the alerts SNS topic' },
  { flag: '--topic medtop:CODE', description: 'an IPTC Media Topic (repeatable)' },
  { flag: '--country CC', description: 'an ISO 3166-1 alpha-2 country (repeatable)' },
  { flag: '--country-role about|primary|source', description: 'how the countries must relate to the article' },
  { flag: '--keyword W', description: 'a keyword (repeatable)' },
  { flag: "--query 'a AND (b OR \"c d\") NOT e'", description: 'a boolean keyword query' },
  { flag: '--language xx', description: 'an article language (repeatable)' },
  { flag: '--include-source FEED', description: 'only these feeds (repeatable)' },
  { flag: '--exclude-source FEED', description: 'never these feeds (repeatable)' },
  { flag: '--min-score 0.5', description: 'the lowest classifier score that matches' },
  { flag: '--name N', description: 'a name for the subscription' },
  { flag: '--frequency instant|hourly|daily', description: 'send at once, or as a digest' },
  { flag: '--tz Europe/Paris', description: 'the time zone of --at and --quiet' },
  { flag: '--at 08:00', description: 'when a daily digest goes' },
  { flag: '--quiet 22:00-07:00', description: 'hold alerts during these hours' },
  { flag: '--rate-cap N', description: 'at most N alerts an hour; the rest wait' },
  { flag: '--story-updates', description: 'also send story.updated when a story it alerted changes' },
  { flag: '--owner NAME', description: 'the owner (admin keys only)' },
];

const ID = (what: string) => `<${what}>`;

export const CLI: CommandSpec = {
  name: 'newsalert',
  summary: 'news alerts by topic, country and keyword: a local runtime and a client of its API',
  usage: ['<command> [options]', '<command> --help', '--version'],
  options: [HELP, { flag: '-V, --version', description: 'print the version and exit' }],
  subcommands: [
    {
      name: 'serve',
      summary: 'run the local runtime: API, poller, matcher and delivery, on an embedded store (a demo on first start)',
      usage: ['serve [--port 8787] [--data-dir .newsalert] [--memory] [--no-demo] [--catalogue] [--log-level WARN]'],
      options: [
        { flag: '--port N', description: 'the API port (default 8787; 0 picks a free one)' },
        { flag: '--data-dir DIR', description: 'where the store lives (default .newsalert)' },
        { flag: '--memory', description: 'keep the store in memory only' },
        { flag: '--no-demo', description: 'do not load the demo feeds and subscriptions into an empty store' },
        { flag: '--catalogue', description: 'load the shared feed catalogue into an empty store' },
        { flag: '--log-level DEBUG|INFO|WARN|ERROR|SILENT', description: 'the lowest level logged (default WARN)' },
        { flag: '--scheduler-seconds N', description: 'how often feeds due for a poll are looked for (default 5)' },
        HELP,
      ],
    },
    {
      name: 'demo',
      summary: 'run the built-in demo once (3 feeds, 5 subscriptions, two polls) and print what was delivered',
      usage: ['demo [--json]'],
      options: [{ flag: '--json', description: 'print the summary as one JSON line' }, HELP],
    },
    {
      name: 'classify',
      summary: 'classify articles by topic and country with the classifier the pipeline runs',
      usage: [
        'classify --title T --text X',
        'classify --file PATH            (first line is the title)',
        'classify [--title T] < article.txt',
        'classify --jsonl < in.jsonl     (one {"id","title","text"} a line in, one result a line out)',
      ],
      options: [
        { flag: '--title T', description: 'the title' },
        { flag: '--text X', description: 'the text' },
        { flag: '--file PATH', description: 'read the article from a file' },
        { flag: '--jsonl', description: 'classify JSON Lines from stdin; exits 1 when no line could be classified' },
        { flag: '--language xx', description: 'language hint (ISO 639-1)' },
        { flag: '--source-country CC', description: "the publisher's country" },
        { flag: '--json', description: 'print JSON (always the case: accepted for consistency)' },
        HELP,
      ],
    },
    {
      name: 'inspect',
      summary: 'show what the pipeline stores from a feed: format, encoding, articles, their classification',
      usage: ['inspect <url|file> [--json] [--allow-loopback] [--base URL] [--limit N]'],
      options: [
        { flag: '--json', description: 'print the report as one JSON document' },
        { flag: '--allow-loopback', description: 'let the fetcher reach 127.0.0.1' },
        { flag: '--base URL', description: 'the URL a file was fetched from (for its relative links and ids)' },
        { flag: '--limit N', description: 'show at most N articles' },
        HELP,
      ],
    },
    {
      name: 'feeds',
      summary: 'add, list, check, import and export the feeds of a running newsalert API',
      usage: ['feeds <add|list|remove|validate|import|export> ...'],
      options: [HELP],
      subcommands: [
        apiCommand('add', 'add a feed; an HTML page is followed to the feed it announces', 'feeds add <url> [--name N] [--country CC] [--language xx] [--interval SECONDS] [--strict]', [
          { flag: '--name N', description: "the source's name" },
          { flag: '--country CC', description: "the source's country" },
          { flag: '--language xx', description: "the feed's language" },
          { flag: '--interval SECONDS', description: 'poll interval' },
          { flag: '--strict', description: 'fetch and validate the feed before adding it' },
          HELP,
        ]),
        apiCommand('list', 'list every feed (all pages)', 'feeds list', [HELP]),
        apiCommand('remove', 'remove a feed', `feeds remove ${ID('feedId')}`, [HELP]),
        apiCommand('validate', 'fetch a URL and say whether it is a usable feed (exit 1 when not)', 'feeds validate <url>', [HELP]),
        apiCommand('import', 'import the feeds of an OPML file; reports each outline (created, exists, invalid)', 'feeds import <file.opml> [--country CC]', [
          { flag: '--country CC', description: "the sources' country where the OPML gives none" },
          HELP,
        ]),
        apiCommand('export', 'print every feed as OPML', 'feeds export > feeds.opml', [HELP]),
      ],
    },
    {
      name: 'subs',
      summary: 'manage the subscriptions of a running newsalert API',
      usage: ['subs <add|list|get|update|remove|pause|resume|snooze|rotate-secret|test|deliveries|preview> ...'],
      options: [HELP],
      subcommands: [
        apiCommand('add', 'add a subscription (exactly one channel)', 'subs add (--webhook URL | --sqs QUEUE_URL | --slack URL | --sns) [fields]', [...SUBSCRIPTION_FIELDS, HELP]),
        apiCommand('list', 'list subscriptions (all pages)', 'subs list [--owner NAME]', [{ flag: '--owner NAME', description: 'only those of one owner (admin keys)' }, HELP]),
        apiCommand('get', 'show one subscription', `subs get ${ID('id')}`, [HELP]),
        apiCommand('update', 'change only the fields given', `subs update ${ID('id')} [fields]`, [...SUBSCRIPTION_FIELDS, HELP]),
        apiCommand('remove', 'remove a subscription', `subs remove ${ID('id')}`, [HELP]),
        apiCommand('pause', 'stop alerts until resumed', `subs pause ${ID('id')}`, [HELP]),
        apiCommand('resume', 'resume a paused subscription', `subs resume ${ID('id')}`, [HELP]),
        apiCommand('snooze', 'hold alerts until a time', `subs snooze ${ID('id')} (--until ISO_TIME | --for 2h)`, [
          { flag: '--until ISO_TIME', description: 'until this time' },
          { flag: '--for 2h', description: 'for a while (30m, 2h, 1d)' },
          HELP,
        ]),
        apiCommand('rotate-secret', 'give the webhook a new signing secret', `subs rotate-secret ${ID('id')} [--grace SECONDS]`, [
          { flag: '--grace SECONDS', description: 'how long the old secret still signs too' },
          HELP,
        ]),
        apiCommand('test', 'send a test alert now', `subs test ${ID('id')}`, [HELP]),
        apiCommand('deliveries', 'the delivery log, newest first', `subs deliveries ${ID('id')} [--limit N] [--cursor C]`, [
          { flag: '--limit N', description: 'page size' },
          { flag: '--cursor C', description: 'the next page, from the previous answer' },
          HELP,
        ]),
        apiCommand('preview', 'what the subscription would have matched over the stored articles', `subs preview ${ID('id')}`, [HELP]),
      ],
    },
    {
      name: 'deliveries',
      summary: 'failed deliveries: list, replay, redrive',
      usage: ['deliveries <failures|replay|redrive> ...'],
      options: [HELP],
      subcommands: [
        apiCommand('failures', 'the failed deliveries of a subscription', `deliveries failures ${ID('subscriptionId')}`, [HELP]),
        apiCommand('replay', 'deliver one article again', `deliveries replay ${ID('subscriptionId')} ${ID('articleId')}`, [HELP]),
        apiCommand('redrive', 'move the dead-letter queue back to delivery', 'deliveries redrive', [HELP]),
      ],
    },
    {
      name: 'keys',
      summary: 'API keys: create, list, revoke, and the first admin key of a deployment',
      usage: ['keys <create|list|revoke|bootstrap> ...'],
      options: [HELP],
      subcommands: [
        apiCommand('create', 'create a key (shown once)', 'keys create --scope admin|owner [--owner NAME] [--name N]', [
          { flag: '--scope admin|owner', description: 'what the key may do' },
          { flag: '--owner NAME', description: 'whose subscriptions an owner key manages' },
          { flag: '--name N', description: 'a name for the key' },
          HELP,
        ]),
        apiCommand('list', 'list keys (never the secrets)', 'keys list', [HELP]),
        apiCommand('revoke', 'revoke a key', `keys revoke ${ID('keyId')}`, [HELP]),
        {
          name: 'bootstrap',
          summary: "write a deployment's first admin key straight into its keys table, with your AWS credentials",
          usage: ['keys bootstrap --table <ApiKeysTableName> [--region R]'],
          options: [
            { flag: '--table NAME', description: 'the ApiKeysTableName output of the stack' },
            { flag: '--region R', description: 'the AWS region' },
            HELP,
          ],
        },
      ],
    },
    {
      name: 'completion',
      summary: 'print a shell completion script',
      usage: ['completion bash >> ~/.bashrc', 'completion zsh > "${fpath[1]}/_newsalert"'],
      options: [HELP],
      values: ['bash', 'zsh'],
    },
  ],
};

/** The deepest command the words name: `feeds add x --name y` -> feeds add. Words that name no subcommand are skipped. */
export function resolveCommand(words: string[]): { spec: CommandSpec; path: string[] } {
  let spec = CLI;
  const path: string[] = [];
  for (const word of words) {
    if (word === '--') break;
    if (word.startsWith('-')) continue;
    const next = spec.subcommands?.find((sub) => sub.name === word);
    if (next === undefined) {
      // The first word after a command with subcommands must be one of them; anything else ends the search.
      if (spec.subcommands !== undefined) break;
      continue;
    }
    spec = next;
    path.push(word);
  }
  return { spec, path };
}

function optionLines(options: OptionSpec[]): string[] {
  const width = Math.min(44, Math.max(...options.map((o) => o.flag.length)) + 2);
  return options.map((o) => (o.flag.length + 2 > width ? `  ${o.flag}\n  ${' '.repeat(width)}${o.description}` : `  ${o.flag.padEnd(width)}${o.description}`));
}

/** The help text of one command: usage, what it does, its subcommands and options. */
export function helpText(spec: CommandSpec, path: string[]): string {
  const lines = [`Usage:`, ...spec.usage.map((u) => `  newsalert ${u}`), '', spec.summary];
  if (spec.subcommands) {
    const width = Math.max(...spec.subcommands.map((s) => s.name.length)) + 2;
    lines.push('', path.length === 0 ? 'Commands:' : 'Subcommands:', ...spec.subcommands.map((s) => `  ${s.name.padEnd(width)}${s.summary}`));
  }
  if (spec.options?.length) lines.push('', 'Options:', ...optionLines(spec.options));
  if (path.length === 0) {
    lines.push(
      '',
      "feeds, subs, deliveries and keys talk to a running 'newsalert serve' (--api URL, default $NEWSALERT_API or",
      'http://127.0.0.1:8787) with an API key: --api-key KEY, else $NEWSALERT_API_KEY, else .newsalert/admin-key.',
      'Exit codes: 0 done, 1 failed, 2 wrong command line.',
      `Run 'newsalert <command> --help' for a command's options.`,
    );
  } else if (spec.subcommands) {
    lines.push('', `Run 'newsalert ${path.join(' ')} <subcommand> --help' for its options.`);
  }
  return lines.join('\n');
}

/** The flags of a command as completion words: `--country CC` -> `--country`, `-h, --help` -> `--help`. */
function completionFlags(spec: CommandSpec): string[] {
  return (spec.options ?? []).map((o) => (o.flag.split(',').pop() as string).trim().split(' ')[0] as string);
}

function words(spec: CommandSpec): string {
  return [...(spec.subcommands ?? []).map((s) => s.name), ...(spec.values ?? []), ...completionFlags(spec)].join(' ');
}

/** A POSIX `case` over the command path that sets `opts`, shared by the bash and zsh scripts. */
function caseBlock(indent: string): string {
  const out: string[] = [`${indent}case "$cmd" in`, `${indent}  '') opts='${words(CLI)}' ;;`];
  for (const command of CLI.subcommands ?? []) {
    if (!command.subcommands) {
      out.push(`${indent}  ${command.name}) opts='${words(command)}' ;;`);
      continue;
    }
    out.push(`${indent}  ${command.name})`, `${indent}    case "$sub" in`, `${indent}      '') opts='${words(command)}' ;;`);
    for (const sub of command.subcommands) out.push(`${indent}      ${sub.name}) opts='${words(sub)}' ;;`);
    out.push(`${indent}      *) opts='--help' ;;`, `${indent}    esac ;;`);
  }
  out.push(`${indent}  *) opts='--help' ;;`, `${indent}esac`);
  return out.join('\n');
}

/** Commands whose first positional is a subcommand: the completion scripts need them to find `sub`. */
function parents(): string {
  return (CLI.subcommands ?? []).filter((c) => c.subcommands).map((c) => c.name).join('|');
}

/** `newsalert completion bash`: source it (or put it in ~/.bashrc / bash-completion's completions folder). */
export function bashCompletion(): string {
  return `# bash completion for newsalert: source <(newsalert completion bash)
_newsalert() {
  local cur cmd='' sub='' opts word i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    if [[ -z "$cmd" ]]; then cmd="$word"
    elif [[ -z "$sub" ]]; then case "$cmd" in ${parents()}) sub="$word" ;; esac
    fi
  done
${caseBlock('  ')}
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _newsalert newsalert
`;
}

/** `newsalert completion zsh`: save it as _newsalert in a folder of $fpath (or source it after compinit). */
export function zshCompletion(): string {
  return `#compdef newsalert
# zsh completion for newsalert: newsalert completion zsh > "\${fpath[1]}/_newsalert"
_newsalert() {
  local cmd='' sub='' opts word i
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    case "$word" in -*) continue ;; esac
    if [[ -z "$cmd" ]]; then cmd="$word"
    elif [[ -z "$sub" ]]; then case "$cmd" in ${parents()}) sub="$word" ;; esac
    fi
  done
${caseBlock('  ')}
  local -a candidates
  candidates=(\${=opts})
  compadd -- $candidates
  [[ "\${words[CURRENT]}" == -* ]] || _files
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _newsalert "$@"
else
  compdef _newsalert newsalert
fi
`;
}
