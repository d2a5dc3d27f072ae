package vn.ndx.audit.silence;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * {@code GET /stats/silent-systems?minPerHour=60}: the consumer systems that went quiet (see
 * {@link SilentSystems}), for the operators' console. A system that usually calls less than {@code minPerHour}
 * times an hour at this time is never reported: its silence says nothing.
 */
@RestController
class SilentSystemsController {

    private final SilentSystems silent;

    SilentSystemsController(SilentSystems silent) {
        this.silent = silent;
    }

    @GetMapping("/stats/silent-systems")
    List<SilentSystems.Silent> silentSystems(@RequestParam(defaultValue = "60") String minPerHour) {
        int minimum;
        try {
            minimum = Integer.parseInt(minPerHour);
        } catch (NumberFormatException e) {
            minimum = 0;
        }
        if (minimum < 1 || minimum > 1_000_000) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "minPerHour must be a whole number from 1 to 1000000");
        }
        return silent.at(Instant.now(), minimum);
    }
}
