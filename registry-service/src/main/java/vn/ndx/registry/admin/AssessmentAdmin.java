package vn.ndx.registry.admin;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.model.RegistryData.Assessment;
import vn.ndx.registry.store.RegistryStore;

/**
 * The go-live gate: a system, and each service it provides, carries traffic only after an administrator
 * has recorded its security assessment. Until then the data plane does not know it.
 */
@RestController
class AssessmentAdmin {

    private final RegistryStore store;
    private final AdminAuthentication admins;

    AssessmentAdmin(RegistryStore store, AdminAuthentication admins) {
        this.store = store;
        this.admins = admins;
    }

    record NewAssessment(@NotBlank String agencyCode, @NotBlank String systemCode, @Nullable String serviceCode,
                         @NotNull @PastOrPresent LocalDate assessedOn, @NotBlank @Size(max = 200) String assessor,
                         @NotBlank @Size(max = 100) String reference) {
    }

    @PostMapping("/admin/assessments")
    @ResponseStatus(HttpStatus.CREATED)
    Assessment record(@Valid @RequestBody NewAssessment body, HttpServletRequest request) {
        String assessor = admins.assessor(request);
        var assessment = new Assessment(body.agencyCode(), body.systemCode(), body.serviceCode(), body.assessedOn(),
                body.assessor(), body.reference(), assessor, Instant.now());
        String subject = body.agencyCode() + "/" + body.systemCode() + (body.serviceCode() == null ? "" : "/" + body.serviceCode());
        store.change(assessor, "assessment.recorded", subject, body.agencyCode(), data -> {
            if (data.system(body.agencyCode(), body.systemCode()).isEmpty()) {
                throw ProblemException.invalid("systemCode", "is not a registered system of " + body.agencyCode());
            }
            if (body.serviceCode() != null && data.service(body.agencyCode(), body.systemCode(), body.serviceCode()).isEmpty()) {
                throw ProblemException.invalid("serviceCode", "is not a registered service of " + body.agencyCode() + "/" + body.systemCode());
            }
            return data.withAssessments(Existing.append(data.assessments(), assessment));
        });
        return assessment;
    }
}
