package dev.sco.orchestrator.platform.web;

import dev.sco.orchestrator.platform.ApiAuthenticationFilter;
import dev.sco.orchestrator.platform.ApiUser;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets a controller method declare an {@link ApiUser} parameter: the caller authenticated by
 * {@link ApiAuthenticationFilter}. A request that bypassed the filter gets 403, never a default user.
 */
class ApiUserArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return ApiUser.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object user = webRequest.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (user instanceof ApiUser apiUser) {
            return apiUser;
        }
        throw new Forbidden("No authenticated orchestrator user");
    }
}
