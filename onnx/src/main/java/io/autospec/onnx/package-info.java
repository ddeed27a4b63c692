/**
 * The ONNX model provider module ({@code io.autospec:autospec-onnx}): model kinds {@code onnx:PATH}
 * (an AR oracle or a denoiser from an ONNX network) registered as
 * {@link io.autospec.models.ModelProvider}s. <b>API</b>: the oracle and denoiser classes; the
 * providers are public only because {@code ServiceLoader} providers must be.
 */
package io.autospec.onnx;
