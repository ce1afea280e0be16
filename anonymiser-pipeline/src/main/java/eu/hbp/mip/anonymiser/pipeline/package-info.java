/**
 * The one pipeline ({@link eu.hbp.mip.anonymiser.pipeline.Pipeline}) and what works over a
 * whole site: its recorded configuration ({@link eu.hbp.mip.anonymiser.pipeline.Site}), the
 * output index, consent withdrawal, the leak check, forwarding and status. It names no format.
 */
package eu.hbp.mip.anonymiser.pipeline;
