/**
 * The command line ({@code autospec sample}, {@code bench}, ...): an application, <b>not a library
 * API</b>; its contract is the commands, their options and their output, not these types.
 */
package io.autospec.cli;
