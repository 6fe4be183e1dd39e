/** Arguments a careless quoting would let the shell interpret (expansions, separators, quotes, newlines). */
export const NASTY = [
  '', ' ', "'", "''", '"', '\\', '\\\'', '$HOME', '${x:-y}', '$(touch /tmp/faultline-pwned)', '`id`', 'a;b', 'a && b',
  'a|b', '>out', '<in', '*', '?', '[a]', '~', '~root', '-n', '--', '-e', '#c', '!', 'a\nb', '\t', '\r\n', 'é ü 日本',
  "it's a \"test\"", '%s%n', 'x=y', '{a,b}', "'; rm -rf / #",
];
