/**
 * Networks as plans of autospec's own kernels. {@code OnnxGraph} reads an ONNX file (protobuf wire
 * format); {@code Planner} folds constants and shapes for a static launch and lowers the graph to
 * {@link io.autospec.nn.Step}s over {@link io.autospec.nn.Slot}s; {@link io.autospec.nn.HostExecutor}
 * runs a {@link io.autospec.nn.Plan} in Java, and the CUDA backend runs the same plan on the device,
 * bit for bit. API: Plan, Step, Slot, FloatMath, the executors and the reader's entry points.
 */
package io.autospec.nn;
