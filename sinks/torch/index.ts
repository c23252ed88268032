/** Native writer of PyTorch `.pt` files (torch.save's zip + pickle protocol 2 container). */
export { TorchWriteError } from "./errors.js";
export { pickle } from "./pickle.js";
export { PyTuple, type PyValue } from "./pyValues.js";
export { type TensorData, type TensorStream, TorchFileWriter } from "./TorchFileWriter.js";
export { TORCH_DTYPES, type TorchDtype, TorchTensor } from "./TorchTensor.js";
export { ZipStreamWriter, type ZipWriterOptions } from "./ZipStreamWriter.js";
