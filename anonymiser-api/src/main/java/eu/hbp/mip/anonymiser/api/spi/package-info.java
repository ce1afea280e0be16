/**
 * The service-provider interface a format implements: an
 * {@link eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider}, registered through
 * {@code module-info.java} ({@code provides}) and
 * {@code META-INF/services/eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider}.
 */
package eu.hbp.mip.anonymiser.api.spi;
