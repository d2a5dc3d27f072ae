package vn.ndx.gateway.problem;

import vn.ndx.contract.ProblemCode;

/** A decision to answer with a problem instead of forwarding: its stable code and a detail for the client. */
public record Refusal(ProblemCode code, String detail) {
}
