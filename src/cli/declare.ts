/**
 * Commands as data: each is `{ name, description, arguments, options, run }`, and the type of
 * what `run` receives is derived from its declarations, so a flag is declared in one place and
 * never cast. `registerCommand` turns a declaration into commander wiring.
 */
import { Argument, type Command, Option } from 'commander';
import type { CliIo } from './io.js';

/** `--instance-profile <name>` → `instanceProfile`, as commander names the attribute. */
type FlagName<Syntax extends string> = Syntax extends `--${infer Name} ${string}` ? Name : Syntax extends `--${infer Name}` ? Name : never;
type CamelCase<Text extends string> = Text extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Text;
export type AttributeName<Syntax extends string> = CamelCase<FlagName<Syntax>>;

/** What a flag without a parser holds: a list for `<x...>`, the text for `<x>`, `true` for a bare switch. */
type SyntaxValue<Syntax extends string> = Syntax extends `${string}...>` ? string[] : Syntax extends `${string}<${string}>` ? string : true;

export interface OptionDeclaration<Syntax extends string = string, Value = unknown, Always extends boolean = boolean> {
  /** Commander's spelling: `--db <file>`, `--id <eventId...>`, `--all`. */
  readonly syntax: Syntax;
  readonly description: string;
  readonly parse: ((value: string) => Value) | undefined;
  /** The value when the flag is not given, and how --help shows it (JSON when `shown` is absent). */
  readonly default: { readonly value: Value; readonly shown: string | undefined } | undefined;
  /** Accepted but left out of --help: old spellings. */
  readonly hidden: boolean;
  /** Whether the flag always has a value (it has a default): what makes its type non-optional. */
  readonly always: Always;
}

export function option<const Syntax extends string, Value>(
  syntax: Syntax,
  description: string,
  settings: { parse: (value: string) => Value; default: NoInfer<Value>; shown?: string },
): OptionDeclaration<Syntax, Value, true>;
export function option<const Syntax extends string, Value>(syntax: Syntax, description: string, settings: { parse: (value: string) => Value }): OptionDeclaration<Syntax, Value, false>;
export function option<const Syntax extends string>(syntax: Syntax, description: string, settings?: { hidden?: boolean }): OptionDeclaration<Syntax, SyntaxValue<Syntax>, false>;
export function option(
  syntax: string,
  description: string,
  settings: { parse?: (value: string) => unknown; default?: unknown; shown?: string; hidden?: boolean } = {},
): OptionDeclaration {
  const always = 'default' in settings;
  return {
    syntax,
    description,
    parse: settings.parse,
    default: always ? { value: settings.default, shown: settings.shown } : undefined,
    hidden: settings.hidden === true,
    always,
  };
}

export interface ArgumentDeclaration<Syntax extends string = string> {
  /** `<source...>` (required list), `[sql]` (optional). */
  readonly syntax: Syntax;
  readonly description: string;
}

export function argument<const Syntax extends string>(syntax: Syntax, description: string): ArgumentDeclaration<Syntax> {
  return { syntax, description };
}

type ArgumentName<Syntax extends string> = Syntax extends `${'<' | '['}${infer Name}${'...>' | '...]'}` ? Name : Syntax extends `${'<' | '['}${infer Name}${'>' | ']'}` ? Name : never;
type ArgumentValue<Syntax extends string> = Syntax extends `${string}...${'>' | ']'}` ? string[] : Syntax extends `<${string}` ? string : string | undefined;

export type FlagsOf<Options extends readonly OptionDeclaration[]> = {
  [Declared in Options[number] as AttributeName<Declared['syntax']>]: Declared extends OptionDeclaration<string, infer Value, infer Always> ? (Always extends true ? Value : Value | undefined) : never;
};

export type ArgumentsOf<Arguments extends readonly ArgumentDeclaration[]> = {
  [Declared in Arguments[number] as ArgumentName<Declared['syntax']>]: ArgumentValue<Declared['syntax']>;
};

export interface CommandDeclaration<Options extends readonly OptionDeclaration[] = readonly OptionDeclaration[], Arguments extends readonly ArgumentDeclaration[] = readonly ArgumentDeclaration[]> {
  readonly name: string;
  readonly description: string;
  readonly arguments: Arguments;
  /** In --help order. */
  readonly options: Options;
  /** Flags and arguments, parsed → the exit code (README "Exit codes"). Failures are thrown. */
  run(input: FlagsOf<Options> & ArgumentsOf<Arguments>, io: CliIo): number | Promise<number>;
}

/** A command declaration with its flags type inferred from `options` and `arguments`. */
export function command<const Options extends readonly OptionDeclaration[], const Arguments extends readonly ArgumentDeclaration[] = readonly []>(
  declaration: Omit<CommandDeclaration<Options, Arguments>, 'arguments'> & { readonly arguments?: Arguments },
): CommandDeclaration<Options, Arguments> {
  // No arguments declared: `Arguments` is then its default, the empty tuple.
  return { ...declaration, arguments: declaration.arguments ?? ([] as unknown as Arguments) };
}

function commanderOption(declared: OptionDeclaration): Option {
  const flag = new Option(declared.syntax, declared.description);
  if (declared.parse) flag.argParser(declared.parse);
  if (declared.default) flag.default(declared.default.value, declared.default.shown);
  if (declared.hidden) flag.hideHelp();
  return flag;
}

export function registerCommand(program: Command, declared: CommandDeclaration, io: CliIo, setExit: (code: number) => void): void {
  const cli = program.command(declared.name).description(declared.description);
  const positional = declared.arguments.map((entry) => new Argument(entry.syntax, entry.description));
  for (const entry of positional) cli.addArgument(entry);
  for (const entry of declared.options) cli.addOption(commanderOption(entry));
  cli.action(async (...values: unknown[]) => {
    const input: Record<string, unknown> = { ...cli.opts() };
    positional.forEach((entry, index) => {
      input[entry.name()] = values[index];
    });
    // The one unchecked step: commander fills `input` from these same declarations at run time.
    setExit(await declared.run(input as FlagsOf<readonly OptionDeclaration[]> & ArgumentsOf<readonly ArgumentDeclaration[]>, io));
  });
}
