// The network as plain arrays: what the fast forward pass, attribution and artefact I/O share.
// Dense layers only; kernels are row-major [inputs][units] exactly as TensorFlow.js stores them.
// The last layer has one linear unit: the raw log-odds before calibration.
export type Activation = 'relu' | 'linear';

export interface DenseLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

export interface Network {
  readonly layers: readonly DenseLayer[];
}

export function inputSize(net: Network): number {
  const first = net.layers[0];
  if (first === undefined) throw new Error('network has no layers');
  return first.inputs;
}

export function checkNetwork(net: Network): void {
  let width = inputSize(net);
  net.layers.forEach((l, k) => {
    if (l.inputs !== width) throw new Error(`layer ${k}: expects ${l.inputs} inputs, previous layer gives ${width}`);
    if (l.kernel.length !== l.inputs * l.units) throw new Error(`layer ${k}: kernel has ${l.kernel.length} values, expected ${l.inputs * l.units}`);
    if (l.bias.length !== l.units) throw new Error(`layer ${k}: bias has ${l.bias.length} values, expected ${l.units}`);
    width = l.units;
  });
  const last = net.layers[net.layers.length - 1]!;
  if (last.units !== 1 || last.activation !== 'linear') throw new Error('the last layer must be one linear unit (the log-odds)');
}

/**
 * Averages the log-odds of several members with the same depth into one network: hidden layers are
 * stacked side by side (block-diagonal kernels), the output layer is divided by the member count.
 * The ensemble then runs as one ordinary dense network, in tfjs and on the fast path alike.
 */
export function mergeMembers(members: readonly Network[]): Network {
  const first = members[0];
  if (first === undefined) throw new Error('no members to merge');
  if (members.length === 1) return first;
  const depth = first.layers.length;
  for (const m of members) if (m.layers.length !== depth) throw new Error('members must have the same depth');
  const layers: DenseLayer[] = [];
  for (let k = 0; k < depth; k++) {
    const parts = members.map((m) => m.layers[k]!);
    const isFirst = k === 0;
    const isLast = k === depth - 1;
    const inputs = isFirst ? parts[0]!.inputs : parts.reduce((s, l) => s + l.inputs, 0);
    const units = isLast ? 1 : parts.reduce((s, l) => s + l.units, 0);
    const kernel = new Float32Array(inputs * units);
    const bias = new Float32Array(units);
    let rowOff = 0;
    let colOff = 0;
    for (const l of parts) {
      for (let i = 0; i < l.inputs; i++) {
        for (let j = 0; j < l.units; j++) {
          const r = isFirst ? i : rowOff + i;
          const c = isLast ? 0 : colOff + j;
          kernel[r * units + c] = isLast ? kernel[r * units + c]! + l.kernel[i * l.units + j]! / parts.length : l.kernel[i * l.units + j]!;
        }
      }
      for (let j = 0; j < l.units; j++) {
        if (isLast) bias[0] = bias[0]! + l.bias[j]! / parts.length;
        else bias[colOff + j] = l.bias[j]!;
      }
      rowOff += l.inputs;
      colOff += l.units;
    }
    layers.push({ inputs, units, activation: parts[0]!.activation, kernel, bias });
  }
  return { layers };
}

/** The same network reading only the given inputs (the others must be 0): a narrower first kernel. */
export function selectInputs(net: Network, inputs: ArrayLike<number>): Network {
  const [first, ...rest] = net.layers;
  if (first === undefined) throw new Error('network has no layers');
  const u = first.units;
  const kernel = new Float32Array(inputs.length * u);
  for (let a = 0; a < inputs.length; a++) kernel.set(first.kernel.subarray(inputs[a]! * u, inputs[a]! * u + u), a * u);
  return { layers: [{ ...first, inputs: inputs.length, kernel }, ...rest] };
}
