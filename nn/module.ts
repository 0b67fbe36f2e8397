/**
 * Module: the base of every layer and model. As in PyTorch, a module's parameters, buffers and
 * child modules are found by name, and its state dict uses dotted snake_case keys
 * (`layer1.0.bn1.running_mean`) so checkpoints line up with PyTorch's.
 *
 * JavaScript has no attribute hooks, so discovery is by reflection over own properties, in the
 * order they were assigned: a property holding a Parameter is a parameter, one holding a Module is
 * a child, and buffers (tensors that are state but not learned, like running_mean) are declared
 * with registerBuffer(). Property names are camelCase; keys are their snake_case form.
 */
import { Tensor } from '../lib/tensor';
import { Parameter } from './parameter';
import { formatShape, formatValue, sameShape } from '../base/shape';
import { noGrad } from '../lib/grad-mode';
import { checkBoolean, checkOptions, optionKeys } from '../lib/validate';

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Refuse missing or unexpected keys (default true). Shapes must always match. */
  strict?: boolean;
}
export const loadStateDictOptionKeys = optionKeys<LoadStateDictOptions>({ strict: true });

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** `runningMean` → `running_mean`, `layer1` → `layer1`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export abstract class Module {
  /** Training mode (the default) or evaluation mode; changed with train() / eval(). */
  training = true;
  private readonly bufferProperties = new Set<string>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Declares a buffer: state saved in the state dict but not trained (null = absent, as in PyTorch). */
  protected registerBuffer(property: string, value: Tensor | null): Tensor | null {
    this.bufferProperties.add(property);
    return value;
  }

  private ownEntries(): Array<[string, unknown]> {
    return Object.keys(this).map((key) => [key, (this as Record<string, unknown>)[key]]);
  }

  /** Direct children with their state-dict names. */
  namedChildren(): Array<[string, Module]> {
    return this.ownEntries()
      .filter((entry): entry is [string, Module] => entry[1] instanceof Module)
      .map(([key, m]) => [snakeCase(key), m]);
  }

  /** This module's own parameters (not its children's), by state-dict name. */
  protected ownParameters(): Array<[string, Parameter]> {
    return this.ownEntries()
      .filter((entry): entry is [string, Parameter] => entry[1] instanceof Parameter)
      .map(([key, p]) => [snakeCase(key), p]);
  }

  protected ownBuffers(): Array<[string, Tensor]> {
    return [...this.bufferProperties]
      .map((key): [string, unknown] => [snakeCase(key), (this as Record<string, unknown>)[key]])
      .filter((entry): entry is [string, Tensor] => entry[1] instanceof Tensor);
  }

  /** Every module in the tree (this one first) with its dotted name. */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  private collect<T>(own: (m: Module) => Array<[string, T]>): Array<[string, T]> {
    const seen = new Set<T>();
    const out: Array<[string, T]> = [];
    for (const [path, module] of this.namedModules()) {
      for (const [name, value] of own(module)) {
        if (seen.has(value)) continue; // shared weights appear once, under their first name
        seen.add(value);
        out.push([path ? `${path}.${name}` : name, value]);
      }
    }
    return out;
  }

  namedParameters(): Array<[string, Parameter]> {
    return this.collect((m) => m.ownParameters());
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): Array<[string, Tensor]> {
    return this.collect((m) => m.ownBuffers());
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  children(): Module[] {
    // Without their names: nn.Sequential asks on every forward, and naming is a regex per child.
    return Object.values(this).filter((value): value is Module => value instanceof Module);
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    checkBoolean(`${this.constructor.name}.train`, 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters then buffers of each module, depth first, as PyTorch orders them. Values are copies. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [path, module] of this.namedModules()) {
      for (const [name, t] of [...module.ownParameters(), ...module.ownBuffers()]) {
        out[path ? `${path}.${name}` : name] = Tensor.fromData(t.values().slice(), t.shape);
      }
    }
    return out;
  }

  /**
   * Copies values from `state` into this module's parameters and buffers. Everything is validated
   * first (keys with `strict`, shapes always), so a refused dict leaves the module untouched.
   */
  loadStateDict(state: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    checkOptions('loadStateDict', options, loadStateDictOptionKeys);
    const strict = options.strict ?? true;
    if (typeof state !== 'object' || state === null) {
      throw new TypeError(`loadStateDict: state must be an object of named Tensors, got ${formatValue(state)}`);
    }
    const targets = new Map<string, Tensor>();
    for (const [path, module] of this.namedModules()) {
      for (const [name, t] of [...module.ownParameters(), ...module.ownBuffers()]) targets.set(path ? `${path}.${name}` : name, t);
    }
    const missingKeys = [...targets.keys()].filter((k) => !Object.hasOwn(state, k));
    const unexpectedKeys = Object.keys(state).filter((k) => !targets.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      throw new Error(
        `loadStateDict: state dict does not match the module (missing keys: ${missingKeys.join(', ') || 'none'}; unexpected keys: ${unexpectedKeys.join(', ') || 'none'})`,
      );
    }
    const copies: Array<[Tensor, Tensor]> = [];
    for (const [key, target] of targets) {
      if (!Object.hasOwn(state, key)) continue;
      const source: unknown = state[key];
      if (!(source instanceof Tensor)) {
        throw new TypeError(`loadStateDict: ${key} must be a Tensor of shape ${formatShape(target.shape)}, got ${formatValue(source)}`);
      }
      // As PyTorch: a one-element [1] tensor loads into a 0-d one (older checkpoints, num_batches_tracked among them, stored scalars so).
      const scalarFromOne = target.shape.length === 0 && source.shape.length === 1 && source.shape[0] === 1;
      if (!sameShape(source.shape, target.shape) && !scalarFromOne) {
        throw new RangeError(
          `loadStateDict: ${key} has shape ${formatShape(source.shape)} in the state dict, ${formatShape(target.shape)} in the module`,
        );
      }
      copies.push([target, source]);
    }
    noGrad(() => {
      for (const [target, source] of copies) target.writableStorage().set(source.values());
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text shown in toString(), e.g. `in=784, out=10`. */
  protected describe(): string {
    return '';
  }

  /** The module tree, one line per module, children indented under their names. */
  private tree(): string {
    const head = `${this.constructor.name}(${this.describe()})`;
    const children = this.namedChildren().map(([name, child]) => `\n  (${name}): ${child.tree().replace(/\n/g, '\n  ')}`);
    return head + children.join('');
  }

  /** The module tree and, for a module with children, its total parameter count. */
  toString(): string {
    if (this.namedChildren().length === 0) return this.tree();
    const count = this.parameters().reduce((n, p) => n + p.numel, 0);
    return `${this.tree()}\n[${count.toLocaleString('en-US')} parameters]`;
  }
}
