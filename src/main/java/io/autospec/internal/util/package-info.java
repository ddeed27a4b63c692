/**
 * <b>Internal, not API</b>: small numerical and naming helpers shared by the library's packages and the
 * {@code autospec-cuda} and {@code autospec-cli} modules. Public only for them; it may change in any release.
 */
package io.autospec.internal.util;
