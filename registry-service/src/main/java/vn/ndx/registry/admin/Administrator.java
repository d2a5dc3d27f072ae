package vn.ndx.registry.admin;

import org.jspecify.annotations.Nullable;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.AgencyCode;

/**
 * An authenticated administrator: a platform administrator manages everything; an agency administrator
 * manages its agency and every agency under it (an H29 administrator cannot touch G12).
 *
 * @param agency the root of the administrator's subtree; null for a platform administrator
 */
public record Administrator(String clientId, @Nullable String agency) {

    public boolean platform() {
        return agency == null;
    }

    public boolean mayManage(String agencyCode) {
        return agency == null || AgencyCode.within(agencyCode, agency);
    }

    public void requireScope(String agencyCode) {
        if (!mayManage(agencyCode)) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE,
                    "Agency " + agencyCode + " is outside the subtree of " + agency + " that you administer");
        }
    }

    public void requirePlatform() {
        if (!platform()) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only platform administrators may do this");
        }
    }
}
